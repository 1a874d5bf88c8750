using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedImaging.Directory;
using MedImaging.Exchange;
using MedImaging.Inference;
using MedImaging.Metadata;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.Platform.Tests;

/// <summary>Every service validates tokens itself: no token is 401, a valid token without the role is 403.</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("zhengding");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    // service, a protected read, a role that may call it, a role that may not
    public static TheoryData<string, string, string, string> ProtectedEndpoints => new()
    {
        { "registration", "/metadata-sets/active", Roles.Cataloguer, Roles.Public },
        { "metadata", "/sets", Roles.Cataloguer, Roles.Public },
        { "directory", "/schema-versions", Roles.Researcher, Roles.Adapter },
        { "exchange", "/links", Roles.Regulator, Roles.Researcher },
        { "inference", "/jobs", Roles.Researcher, Roles.Public },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task UnauthenticatedIs401WrongRoleIs403RightRoleIs200(string service, string path, string allowed, string denied)
    {
        await using var factory = Create(service);

        using var anonymous = factory.CreateClient();
        var unauthenticated = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal("Bearer", unauthenticated.Headers.WwwAuthenticate.Single().ToString());
        var missing = await ProblemAsync(unauthenticated);
        Assert.Equal("token_missing", missing.GetProperty("reason").GetString());
        Assert.Contains("/connect/token", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var wrongRole = factory.CreateClient().WithToken(TestTokens.Create(_node, "someone", denied));
        var forbidden = await wrongRole.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var problem = await ProblemAsync(forbidden);
        Assert.Contains(allowed, problem.GetProperty("requiredRoles").EnumerateArray().Select(r => r.GetString()));
        Assert.NotEmpty(problem.GetProperty("requiredPolicies").EnumerateArray());
        Assert.Equal([denied], problem.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(allowed, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var rightRole = factory.CreateClient().WithToken(TestTokens.Create(_node, "someone", allowed));
        var ok = await rightRole.GetAsync(path);
        Assert.True(ok.StatusCode == HttpStatusCode.OK, $"{service} {path}: {(int)ok.StatusCode} {await ok.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task TokenSignedByAnotherNodesKeyIs401()
    {
        await using var other = await NodeTestEnvironment.CreateAsync("zhengding");
        await using var factory = Create("metadata");
        using var client = factory.CreateClient().WithToken(TestTokens.Create(other, "intruder", Roles.Admin));
        var response = await client.GetAsync("/sets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_signature", (await ProblemAsync(response)).GetProperty("reason").GetString());
    }

    public static TheoryData<string, string> ServicePaths => new()
    {
        { "registration", "/metadata-sets/active" },
        { "metadata", "/sets" },
        { "directory", "/schema-versions" },
        { "exchange", "/links" },
        { "inference", "/jobs" },
    };

    [Theory]
    [MemberData(nameof(ServicePaths))]
    public async Task AnExpiredTokenIs401NamingTheExpiryAndKeepsWwwAuthenticate(string service, string path)
    {
        await using var factory = Create(service);
        using var expired = factory.CreateClient().WithToken(Token(DateTime.UtcNow.AddHours(-1), NodeSigningKey.Audience));
        var response = await expired.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("token_expired", (await ProblemAsync(response)).GetProperty("reason").GetString());
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ServicePaths))]
    public async Task ATokenForAnotherAudienceIs401NamingIt(string service, string path)
    {
        await using var factory = Create(service);
        using var elsewhere = factory.CreateClient().WithToken(Token(DateTime.UtcNow.AddMinutes(30), "another-api"));
        var response = await elsewhere.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("invalid_audience", problem.GetProperty("reason").GetString());
        Assert.Contains("another-api", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ServicePaths))]
    public async Task ATokenFromAnotherNodesIssuerIs401EvenSignedWithThisNodesKey(string service, string path)
    {
        // Another node of the hierarchy: a token its gateway issued names that gateway, whatever key signed it.
        var other = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "tiers", "hebei.json")))!["endpoints"]!["gateway"]!.GetValue<string>();
        Assert.NotEqual(_node.Node["endpoints"]!["gateway"]!.GetValue<string>(), other);
        await using var factory = Create(service);
        using var client = factory.CreateClient().WithToken(Token(DateTime.UtcNow.AddMinutes(30), NodeSigningKey.Audience, issuer: new Uri(other).AbsoluteUri));
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_issuer", (await ProblemAsync(response)).GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(ServicePaths))]
    public async Task AnIdTokenIs401EvenForThisAudienceAndSignedWithThisNodesKey(string service, string path)
    {
        // typ JWT is what OpenIddict writes in id tokens; only the type tells it from an access token here.
        await using var factory = Create(service);
        using var client = factory.CreateClient().WithToken(Token(DateTime.UtcNow.AddMinutes(30), NodeSigningKey.Audience, type: "JWT"));
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_token_type", (await ProblemAsync(response)).GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(ServicePaths))]
    public async Task AServiceGivenOnlyThePublicKeysHoldsNoPrivateKeyAndValidatesTokens(string service, string path)
    {
        Assert.False(_node.Settings.ContainsKey(NodeSigningKey.ConfigurationKey), "services are given the public keys only");
        await using var factory = Create(service);
        var host = factory.Services.GetRequiredService<ServiceHostContext>();
        Assert.Null(host.Problem);
        Assert.Null(host.SigningKeys);
        Assert.Equal(_node.PublicKeysPath, host.TokenKeys!.Path);
        Assert.All(host.TokenKeys.Keys, k => Assert.Equal(PrivateKeyStatus.DoesNotExist, k.PrivateKeyStatus));
        Assert.Equal([NodeSigningKey.Load(_node.SigningKeyPath).KeyId], host.TokenKeys.Keys.Select(k => k.KeyId));

        using var client = factory.CreateClient().WithToken(TestTokens.Create(_node, "node-admin", Roles.Admin));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task AServiceConfiguredWithThePrivateKeyFileTooIgnoresIt()
    {
        await using var factory = new ServiceFactory<MetadataServiceMarker>(_node, new Dictionary<string, string?> { [NodeSigningKey.ConfigurationKey] = _node.SigningKeyPath });
        var host = factory.Services.GetRequiredService<ServiceHostContext>();
        Assert.Null(host.SigningKeys);
        Assert.All(host.TokenKeys!.Keys, k => Assert.Equal(PrivateKeyStatus.DoesNotExist, k.PrivateKeyStatus));
    }

    [Theory]
    [InlineData("registration")]
    [InlineData("metadata")]
    [InlineData("directory")]
    [InlineData("exchange")]
    [InlineData("inference")]
    public async Task ReadinessTellsAnonymousAndNonAdminCallersTheStatusAlone(string service)
    {
        await using var factory = Create(service);

        foreach (var role in new string?[] { null, Roles.Cataloguer })
        {
            using var client = factory.CreateClient();
            if (role is not null) client.WithToken(TestTokens.Create(_node, "someone", role));
            var body = await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync();
            Assert.Equal(["status"], JsonDocument.Parse(body).RootElement.EnumerateObject().Select(p => p.Name));
            Assert.DoesNotContain(_node.Database, body, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        }

        using var admin = factory.CreateClient().WithToken(TestTokens.Create(_node, "node-admin", Roles.Admin));
        var details = await (await admin.GetAsync("/health/ready")).Content.ReadAsStringAsync();
        Assert.Contains("\"postgresql\"", details, StringComparison.Ordinal);
        Assert.Contains(_node.Database, details, StringComparison.Ordinal);
    }

    private string Token(DateTime expires, string audience, string? issuer = null, string type = "at+jwt") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer ?? new Uri(_node.Node["endpoints"]!["gateway"]!.GetValue<string>()).AbsoluteUri,
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim("sub", "someone"), new Claim("role", Roles.Admin)]),
        IssuedAt = expires.AddHours(-1),
        NotBefore = expires.AddHours(-1),
        Expires = expires,
        TokenType = type,
        SigningCredentials = new SigningCredentials(NodeSigningKey.Load(_node.SigningKeyPath), SecurityAlgorithms.RsaSha256),
    });

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task HealthEndpointsAreOpenAndReadyChecksTheServers()
    {
        await using var factory = Create("registration");
        using var client = factory.CreateClient().WithToken(TestTokens.Create(_node, "node-admin", Roles.Admin));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        // The bus connects in the background after start; ready turns healthy once it has.
        HttpResponseMessage ready;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            ready = await client.GetAsync("/health/ready");
            if (ready.StatusCode == HttpStatusCode.OK) break;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"postgresql\"", body, StringComparison.Ordinal);
        Assert.Contains("\"redis\"", body, StringComparison.Ordinal);
        Assert.Contains("masstransit", body, StringComparison.OrdinalIgnoreCase);
    }

    private ITestHost Create(string service) => service switch
    {
        "registration" => new ServiceFactory<RegistrationServiceMarker>(_node),
        "metadata" => new ServiceFactory<MetadataServiceMarker>(_node),
        "directory" => new ServiceFactory<DirectoryServiceMarker>(_node),
        "exchange" => new ServiceFactory<ExchangeServiceMarker>(_node),
        "inference" => new ServiceFactory<InferenceServiceMarker>(_node),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };
}
