using System.Net;
using System.Text.Json;
using MedImaging.Directory;
using MedImaging.Exchange;
using MedImaging.Gateway;
using MedImaging.Gateway.Identity;
using MedImaging.Inference;
using MedImaging.Metadata;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Platform.Tests;

/// <summary>
/// The whole chain with the real token server: a user signs in at the node's gateway (OpenIddict, password grant),
/// and each of the five services, validating the token itself, answers 401 without it, 403 for the wrong role, 200
/// for the right one.
/// </summary>
public sealed class GatewayTokenTests : IAsyncLifetime, IDisposable
{
    private NodeTestEnvironment _node = null!;
    private ServiceFactory<GatewayMarker> _gateway = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeTestEnvironment.CreateAsync("shijiazhuang");
        _gateway = new ServiceFactory<GatewayMarker>(_node);
        _gateway.CreateClient().Dispose();
        await GatewaySeeder.EnsurePortalClientAsync(_gateway.Services, new Uri("http://127.0.0.1/signin"));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _node.DisposeAsync();
    }

    public void Dispose() => _gateway.Dispose();

    [Theory]
    [MemberData(nameof(AuthorizationTests.ProtectedEndpoints), MemberType = typeof(AuthorizationTests))]
    public async Task EveryServiceChecksGatewayTokensAndRoles(string service, string path, string allowed, string denied)
    {
        var allowedToken = await SignInAsync($"u-{allowed}", allowed);
        var deniedToken = await SignInAsync($"u-{denied}", denied);
        await using ITestHost host = service switch
        {
            "registration" => new ServiceFactory<RegistrationServiceMarker>(_node),
            "metadata" => new ServiceFactory<MetadataServiceMarker>(_node),
            "directory" => new ServiceFactory<DirectoryServiceMarker>(_node),
            "exchange" => new ServiceFactory<ExchangeServiceMarker>(_node),
            _ => new ServiceFactory<InferenceServiceMarker>(_node),
        };

        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        using var wrong = host.CreateClient().WithToken(deniedToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await wrong.GetAsync(path)).StatusCode);
        using var right = host.CreateClient().WithToken(allowedToken);
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task TheGatewaysIdTokenIsRefusedWhereItsAccessTokenIsAccepted()
    {
        var access = await SignInAsync("u-idtoken", Roles.Cataloguer, "openid profile roles");
        var id = await SignInAsync("u-idtoken", Roles.Cataloguer, "openid profile roles", "id_token");
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        using var withAccess = metadata.CreateClient().WithToken(access);
        Assert.Equal(HttpStatusCode.OK, (await withAccess.GetAsync("/sets")).StatusCode);
        using var withId = metadata.CreateClient().WithToken(id);
        var refused = await withId.GetAsync("/sets");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var reason = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("reason").GetString();
        Assert.True(reason is "invalid_token_type" or "invalid_audience", reason);
    }

    private async Task<string> SignInAsync(string user, string role, string? scope = null, string token = "access_token")
    {
        await GatewaySeeder.EnsureUserAsync(_gateway.Services, user, "Pa55word-for-tests!", role);
        using var client = _gateway.CreateClient();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = GatewaySeeder.PortalClientId,
            ["username"] = user,
            ["password"] = "Pa55word-for-tests!",
        };
        if (scope is not null) form["scope"] = scope;
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty(token).GetString()!;
    }
}
