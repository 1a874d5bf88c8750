using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MedImaging.Gateway.Tests;

/// <summary>
/// Per-account lockout on the password grant and the sign-in page, counted in Redis and shared by two gateway instances
/// of one node (as two replicas behind a load balancer). Back-off is off here (BackoffSeconds 0) so that consecutive
/// wrong passwords are all judged; <see cref="SignInBackoffTests"/> covers it. Each test uses its own user.
/// </summary>
#pragma warning disable CA1001 // _second is disposed in DisposeAsync (xunit's IAsyncLifetime)
public sealed class SignInLockoutTests : IAsyncLifetime
#pragma warning restore CA1001
{
    internal static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Gateway:SignIn:MaxFailures"] = "5",
        ["Gateway:SignIn:LockoutMinutes"] = "15",
        ["Gateway:SignIn:BackoffSeconds"] = "0",
        ["Gateway:SignIn:MaxBackoffSeconds"] = "0",
        ["Gateway:RateLimit:SignInPermitLimit"] = "10000",
    };

    private GatewayTestNode _gw = null!;
    private ServiceFactory<GatewayMarker> _second = null!; // a second replica of the node's gateway

    public async Task InitializeAsync()
    {
        _gw = await GatewayTestNode.StartAsync(settings: Settings);
        _second = new ServiceFactory<GatewayMarker>(_gw.Node, Settings);
        _second.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _gw.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> PasswordGrantAsync(ITestHost gateway, string user, string password)
    {
        using var client = gateway.CreateClient();
        return await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = GatewaySeeder.PortalClientId, ["username"] = user, ["password"] = password,
        }));
    }

    internal static async Task<string> InvalidGrantDescriptionAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("invalid_grant", json.GetProperty("error").GetString());
        return json.GetProperty("error_description").GetString()!;
    }

    private HttpClient Admin() => _gw.CreateClient().WithToken(TestTokens.Create(_gw.Node, "node-admin", Roles.Admin));

    private async Task<JsonElement?> AdminViewAsync(string user)
    {
        using var admin = Admin();
        var list = await admin.GetFromJsonAsync<JsonElement>($"{SignInLockoutApi.Path}?pageSize=500");
        return list.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("userName").GetString() == user).Select(e => (JsonElement?)e).SingleOrDefault();
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountTheRightOneIsRefusedUntilAnAdminUnlocks()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "lock.a", "right-Passw0rd", Roles.Cataloguer);
        for (var i = 1; i <= 4; i++)
            Assert.Contains("Wrong user name or password", await InvalidGrantDescriptionAsync(await _gw.PasswordGrantAsync("lock.a", $"guess-{i}")), StringComparison.Ordinal);
        var fifth = await InvalidGrantDescriptionAsync(await _gw.PasswordGrantAsync("lock.a", "guess-5"));
        Assert.Contains("账户已临时锁定", fifth, StringComparison.Ordinal);
        Assert.Contains("The account is locked after 5 failed sign-ins", fifth, StringComparison.Ordinal);

        var right = await _gw.PasswordGrantAsync("lock.a", "right-Passw0rd");
        var description = await InvalidGrantDescriptionAsync(right);
        Assert.Contains("账户已临时锁定", description, StringComparison.Ordinal);
        Assert.Contains("ask an administrator to unlock it", description, StringComparison.Ordinal);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14), $"Retry-After {right.Headers.RetryAfter}");

        // The administrator sees the lockout, and lifts it.
        var view = await AdminViewAsync("lock.a");
        Assert.NotNull(view);
        Assert.True(view.Value.GetProperty("locked").GetBoolean());
        Assert.Equal(5, view.Value.GetProperty("failures").GetInt32());
        using (var admin = Admin())
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{SignInLockoutApi.Path}/lock.a")).StatusCode);
        Assert.Null(await AdminViewAsync("lock.a"));

        await GatewayTestNode.AccessTokenAsync(await _gw.PasswordGrantAsync("lock.a", "right-Passw0rd"));
    }

    [Fact]
    public async Task TheRightPasswordIsAcceptedOnceTheLockoutHasEnded()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "lock.b", "right-Passw0rd", Roles.Reviewer);
        for (var i = 1; i <= 5; i++) await _gw.PasswordGrantAsync("lock.b", $"guess-{i}");
        Assert.Contains("locked", await InvalidGrantDescriptionAsync(await _gw.PasswordGrantAsync("lock.b", "right-Passw0rd")), StringComparison.Ordinal);

        // Fifteen minutes pass: the lockout's end, as the gateways share it in Redis, moves into the past.
        var node = _gw.Services.GetRequiredService<MedImaging.ServiceDefaults.Hosting.ServiceHostContext>().Node;
        var redis = _gw.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        await redis.HashSetAsync(GatewayRedis.Key(node, "sign-in:account:lock.b"), "lockedUntil", DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds());

        await GatewayTestNode.AccessTokenAsync(await _gw.PasswordGrantAsync("lock.b", "right-Passw0rd"));
        Assert.Null(await AdminViewAsync("lock.b")); // a success forgets the failures
    }

    [Fact]
    public async Task FailuresOnOneGatewayInstanceCountOnTheOther()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "lock.c", "right-Passw0rd", Roles.Publisher);
        for (var i = 1; i <= 3; i++) await PasswordGrantAsync(_gw.Gateway, "lock.c", $"guess-a{i}");
        for (var i = 1; i <= 2; i++) await PasswordGrantAsync(_second, "lock.c", $"guess-b{i}");

        Assert.Contains("账户已临时锁定", await InvalidGrantDescriptionAsync(await PasswordGrantAsync(_gw.Gateway, "lock.c", "right-Passw0rd")), StringComparison.Ordinal);
        Assert.Contains("账户已临时锁定", await InvalidGrantDescriptionAsync(await PasswordGrantAsync(_second, "lock.c", "right-Passw0rd")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownNamesAreCountedAndShownLikeRealOnes()
    {
        for (var i = 1; i <= 5; i++) await _gw.PasswordGrantAsync("no.such.user", $"guess-{i}");

        Assert.Contains("账户已临时锁定", await InvalidGrantDescriptionAsync(await _gw.PasswordGrantAsync("no.such.user", "anything")), StringComparison.Ordinal);
        var view = await AdminViewAsync("no.such.user");
        Assert.True(view?.GetProperty("locked").GetBoolean(), "the sprayed name is not listed as locked");
    }

    [Fact]
    public async Task TheSignInPageRefusesALockedAccountWithTheSameWords()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "lock.d", "right-Passw0rd", Roles.Cataloguer);
        for (var i = 1; i <= 5; i++) await _gw.PasswordGrantAsync("lock.d", $"guess-{i}");

        using var browser = SignInPage.Browser(_gw.Gateway);
        var response = await SignInPage.SubmitAsync(browser, "lock.d", "right-Passw0rd");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("账户已临时锁定", page, StringComparison.Ordinal);
        Assert.Contains("The account is locked after 5 failed sign-ins", page, StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("medcat.gateway.login", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WrongPasswordsOnTheSignInPageLockThePasswordGrantToo()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "lock.e", "right-Passw0rd", Roles.Cataloguer);
        using var browser = SignInPage.Browser(_gw.Gateway);
        for (var i = 1; i <= 5; i++)
            await SignInPage.SubmitAsync(browser, "lock.e", $"guess-{i}");

        Assert.Contains("账户已临时锁定", await InvalidGrantDescriptionAsync(await _gw.PasswordGrantAsync("lock.e", "right-Passw0rd")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLockoutListNeedsTheAdminRoleAndSaysWhy()
    {
        using var anonymous = _gw.CreateClient();
        var unauthenticated = await anonymous.GetAsync(SignInLockoutApi.Path);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal("Bearer", unauthenticated.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", unauthenticated.Content.Headers.ContentType?.MediaType);
        Assert.Equal("token_missing", (await GatewayTestNode.JsonAsync(unauthenticated)).GetProperty("reason").GetString());

        using var cataloguer = _gw.CreateClient().WithToken(TestTokens.Create(_gw.Node, "someone", Roles.Cataloguer));
        var forbidden = await cataloguer.DeleteAsync($"{SignInLockoutApi.Path}/lock.a");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var problem = await GatewayTestNode.JsonAsync(forbidden);
        Assert.Equal([Policies.Admin], problem.GetProperty("requiredPolicies").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([Roles.Admin], problem.GetProperty("requiredRoles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([Roles.Cataloguer], problem.GetProperty("roles").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ASignInCookieIssuedByOneInstanceIsReadByTheOtherFromKeysHeldInRedis()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "cookie.f", "right-Passw0rd", Roles.Cataloguer);
        using var browser = SignInPage.Browser(_gw.Gateway);
        var signedIn = await SignInPage.SubmitAsync(browser, "cookie.f", "right-Passw0rd");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("medcat.gateway.login=", StringComparison.Ordinal)).Split(';')[0];

        // The other instance takes the cookie: the authorization request goes straight to the portal with a code.
        Assert.StartsWith(SignInPage.RedirectUri(_gw).AbsoluteUri, (await SignInPage.AuthorizeAsync(_second, _gw, cookie)).AbsoluteUri, StringComparison.Ordinal);

        // The key that protects it lives in Redis: a third instance started after the key ring is gone cannot read it.
        var node = _gw.Services.GetRequiredService<MedImaging.ServiceDefaults.Hosting.ServiceHostContext>().Node;
        var redis = _gw.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var ring = GatewayRedis.Key(node, "data-protection-keys");
        Assert.True(await redis.ListLengthAsync(ring) >= 1, "no data-protection key in Redis");
        await redis.KeyDeleteAsync(ring);
        await using var third = new ServiceFactory<GatewayMarker>(_gw.Node, Settings);
        Assert.Equal(IdentityExtensions.LoginPath, (await SignInPage.AuthorizeAsync(third, _gw, cookie)).AbsolutePath);
    }
}

/// <summary>Back-off between attempts: after a wrong password the account waits before the next one is judged.</summary>
public sealed class SignInBackoffTests : IAsyncLifetime
{
    private GatewayTestNode _gw = null!;

    public async Task InitializeAsync() => _gw = await GatewayTestNode.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Gateway:SignIn:BackoffSeconds"] = "600",
        ["Gateway:SignIn:MaxBackoffSeconds"] = "3600",
    });

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task AfterAWrongPasswordEvenTheRightOneWaitsOutTheBackoff()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "slow.a", "right-Passw0rd", Roles.Cataloguer);
        Assert.Contains("Wrong user name or password", await SignInLockoutTests.InvalidGrantDescriptionAsync(await _gw.PasswordGrantAsync("slow.a", "guess-1")), StringComparison.Ordinal);

        var right = await _gw.PasswordGrantAsync("slow.a", "right-Passw0rd");

        var description = await SignInLockoutTests.InvalidGrantDescriptionAsync(right);
        Assert.Contains("登录失败次数过多", description, StringComparison.Ordinal);
        Assert.Contains("Too many failed sign-ins: wait", description, StringComparison.Ordinal);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(9), $"Retry-After {right.Headers.RetryAfter}");
    }
}
