using System.Net;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MedImaging.Gateway.Tests;

public sealed class TokenServerTests : IAsyncLifetime
{
    private GatewayTestNode _gw = null!;

    public async Task InitializeAsync()
    {
        // No back-off between attempts: a test trying a wrong password and then the right one means both to be judged.
        _gw = await GatewayTestNode.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:SignIn:BackoffSeconds"] = "0" });
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "wang.reviewer", "审核-Passw0rd!", Roles.Reviewer, Roles.Researcher);
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "li.disabled", "Passw0rd!disabled", Roles.Cataloguer);
        await GatewaySeeder.SetUserDisabledAsync(_gw.Services, "li.disabled", disabled: true);
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "pacs-hospital-1", "adapter-secret-1", Roles.Adapter);
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task ClientCredentialsTokenCarriesTheClientRoleAudienceAndNodeIssuer()
    {
        var token = await GatewayTestNode.AccessTokenAsync(await _gw.ClientCredentialsAsync("pacs-hospital-1", "adapter-secret-1"));

        var identity = await NodeTokens.ValidateAsync(token, _gw.Node.SigningKeyPath, _gw.GatewayUrl);
        Assert.Equal([Roles.Adapter], identity.Roles());
        Assert.Equal("pacs-hospital-1", identity.FindFirst("sub")?.Value);
        var jwt = new JsonWebToken(token);
        Assert.Equal(_gw.GatewayUrl.AbsoluteUri, jwt.Issuer);
        Assert.Equal([NodeSigningKey.Audience], jwt.Audiences);
        Assert.Equal("at+jwt", jwt.Typ);
        // The kid is the one services derive from the node key, so key rotation can be reasoned about.
        Assert.Equal(NodeSigningKey.Load(_gw.Node.SigningKeyPath).KeyId, jwt.Kid);
    }

    [Fact]
    public async Task PasswordGrantTokenCarriesTheUsersRolesAndName()
    {
        var token = await GatewayTestNode.AccessTokenAsync(await _gw.PasswordGrantAsync("wang.reviewer", "审核-Passw0rd!"));

        var identity = await NodeTokens.ValidateAsync(token, _gw.Node.SigningKeyPath, _gw.GatewayUrl);
        Assert.Equal([Roles.Researcher, Roles.Reviewer], identity.Roles());
        Assert.Equal("wang.reviewer", identity.Name);
        Assert.True(Guid.TryParse(identity.FindFirst("sub")?.Value, out _));
    }

    [Fact]
    public async Task WrongPasswordIsRefusedWithInvalidGrant() =>
        await AssertOAuthErrorAsync(await _gw.PasswordGrantAsync("wang.reviewer", "not-the-password"), "invalid_grant");

    [Fact]
    public async Task UnknownUserIsRefusedWithInvalidGrant() =>
        await AssertOAuthErrorAsync(await _gw.PasswordGrantAsync("nobody", "whatever-1"), "invalid_grant");

    [Fact]
    public async Task DisabledUserIsRefusedWithInvalidGrant() =>
        await AssertOAuthErrorAsync(await _gw.PasswordGrantAsync("li.disabled", "Passw0rd!disabled"), "invalid_grant");

    [Fact]
    public async Task WrongClientSecretIsRefusedWithInvalidClient() =>
        await AssertOAuthErrorAsync(await _gw.ClientCredentialsAsync("pacs-hospital-1", "guess"), "invalid_client", HttpStatusCode.Unauthorized);

    [Fact]
    public async Task ReseedingAUserReplacesItsPassword()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "zhao.publisher", "first-Passw0rd", Roles.Publisher);
        var created = await GatewaySeeder.EnsureUserAsync(_gw.Services, "zhao.publisher", "second-Passw0rd", Roles.Publisher);

        Assert.False(created);
        await AssertOAuthErrorAsync(await _gw.PasswordGrantAsync("zhao.publisher", "first-Passw0rd"), "invalid_grant");
        await GatewayTestNode.AccessTokenAsync(await _gw.PasswordGrantAsync("zhao.publisher", "second-Passw0rd"));
    }

    [Fact]
    public async Task DiscoveryDocumentNamesTheNodeIssuerAndPublishesTheNodeKey()
    {
        using var client = _gw.CreateClient();
        var discovery = await GatewayTestNode.JsonAsync(await client.GetAsync("/.well-known/openid-configuration"));
        Assert.Equal(_gw.GatewayUrl.AbsoluteUri, discovery.GetProperty("issuer").GetString());

        var jwks = await GatewayTestNode.JsonAsync(await client.GetAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery));
        var kids = jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Equal([NodeSigningKey.Load(_gw.Node.SigningKeyPath).KeyId], kids);
    }

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, string error, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(error, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }
}
