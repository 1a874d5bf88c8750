using System.Text.Json;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MedImaging.Gateway.Tests;

/// <summary>What a caller may see travels in its access token: clearance, node, institution, client_id (ADR 0021).</summary>
public sealed class TokenScopeClaimsTests : IAsyncLifetime
{
    // The hebei tier file's first institution, and the one its adapters map gives dev-pacs-adapter.
    private const string Hospital2 = "121300004017055782";
    private const string General = "12130000401705668N";

    private GatewayTestNode _gw = null!;

    public async Task InitializeAsync()
    {
        _gw = await GatewayTestNode.StartAsync();
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "sun.cataloguer", "编目-Passw0rd", [Roles.Cataloguer], SecurityLevels.Internal, General);
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "zhou.unclassified", "Passw0rd-zhou", Roles.Researcher);
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "peer-city", "peer-secret-1", [Roles.Node], SecurityLevels.Restricted);
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "pacs-general", "pacs-secret-1", [Roles.Adapter], SecurityLevels.Internal, General);
        // In the node file's adapters map, with no institution of its own: the map's applies.
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "dev-pacs-adapter", "pacs-secret-2", [Roles.Adapter], SecurityLevels.Internal);
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private string NodeId => _gw.Node.Node["nodeId"]!.GetValue<string>();

    [Fact]
    public async Task AUsersAccessTokenCarriesItsClearanceNodeInstitutionAndThePortalClient()
    {
        var identity = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await _gw.PasswordGrantAsync("sun.cataloguer", "编目-Passw0rd")), _gw.Node.SigningKeyPath, _gw.GatewayUrl);

        Assert.Equal(SecurityLevels.Internal, Single(identity, ScopeClaims.Clearance));
        Assert.Equal(NodeId, Single(identity, ScopeClaims.Node));
        Assert.Equal(General, Single(identity, ScopeClaims.Institution));
        Assert.Equal(GatewaySeeder.PortalClientId, Single(identity, ScopeClaims.ClientId));
        var scope = CallerScope.From(new System.Security.Claims.ClaimsPrincipal(identity));
        Assert.True(scope.MaySee(SecurityLevels.Internal, General));
        Assert.False(scope.MaySee(SecurityLevels.Internal, Hospital2));
        Assert.False(scope.MaySee(SecurityLevels.Restricted, General));
    }

    [Fact]
    public async Task AUserWithoutAStoredClearanceGetsPublicAndIsNodeWide()
    {
        var identity = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await _gw.PasswordGrantAsync("zhou.unclassified", "Passw0rd-zhou")), _gw.Node.SigningKeyPath, _gw.GatewayUrl);

        Assert.Equal(SecurityLevels.Public, Single(identity, ScopeClaims.Clearance));
        Assert.Null(identity.FindFirst(ScopeClaims.Institution));
        Assert.Equal(NodeId, Single(identity, ScopeClaims.Node));
    }

    [Fact]
    public async Task TheIdTokenCarriesNoneOfTheScopeClaims()
    {
        var response = await _gw.RequestTokenAsync(("grant_type", "password"), ("client_id", GatewaySeeder.PortalClientId),
            ("username", "sun.cataloguer"), ("password", "编目-Passw0rd"), ("scope", "openid profile roles"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, body.GetRawText());

        var idToken = new JsonWebToken(body.GetProperty("id_token").GetString());
        Assert.Equal("sun.cataloguer", idToken.GetClaim("name").Value);
        foreach (var claim in (string[])[ScopeClaims.Clearance, ScopeClaims.Node, ScopeClaims.Institution])
            Assert.False(idToken.TryGetClaim(claim, out _), $"the id token carries {claim}");
        // The access token of the same response does carry them.
        Assert.Equal(SecurityLevels.Internal, new JsonWebToken(body.GetProperty("access_token").GetString()).GetClaim(ScopeClaims.Clearance).Value);
    }

    [Fact]
    public async Task AClientsAccessTokenCarriesItsOwnClearanceAndClientId()
    {
        var peer = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await _gw.ClientCredentialsAsync("peer-city", "peer-secret-1")), _gw.Node.SigningKeyPath, _gw.GatewayUrl);
        Assert.Equal(SecurityLevels.Restricted, Single(peer, ScopeClaims.Clearance));
        Assert.Equal("peer-city", Single(peer, ScopeClaims.ClientId));
        Assert.Equal(NodeId, Single(peer, ScopeClaims.Node));
        Assert.Null(peer.FindFirst(ScopeClaims.Institution));

        var adapter = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await _gw.ClientCredentialsAsync("pacs-general", "pacs-secret-1")), _gw.Node.SigningKeyPath, _gw.GatewayUrl);
        Assert.Equal(SecurityLevels.Internal, Single(adapter, ScopeClaims.Clearance));
        Assert.Equal(General, Single(adapter, ScopeClaims.Institution));
    }

    [Fact]
    public async Task AnAdapterWithoutItsOwnInstitutionTakesTheOneOfTheNodeFilesAdaptersMap()
    {
        var adapter = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await _gw.ClientCredentialsAsync("dev-pacs-adapter", "pacs-secret-2")), _gw.Node.SigningKeyPath, _gw.GatewayUrl);

        Assert.Equal(Hospital2, Single(adapter, ScopeClaims.Institution));
        Assert.Equal("dev-pacs-adapter", Single(adapter, ScopeClaims.ClientId));
    }

    [Fact]
    public async Task AClientWithoutAStoredClearanceGetsPublic()
    {
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "legacy-client", "legacy-secret", Roles.Node);

        var token = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await _gw.ClientCredentialsAsync("legacy-client", "legacy-secret")), _gw.Node.SigningKeyPath, _gw.GatewayUrl);

        Assert.Equal(SecurityLevels.Public, Single(token, ScopeClaims.Clearance));
    }

    [Fact]
    public async Task ReseedingAClientWithoutScopeKeepsTheClearanceItHad()
    {
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "reseeded", "secret-a", [Roles.Node], SecurityLevels.Confidential);
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "reseeded", "secret-b", Roles.Node);

        var token = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await _gw.ClientCredentialsAsync("reseeded", "secret-b")), _gw.Node.SigningKeyPath, _gw.GatewayUrl);

        Assert.Equal(SecurityLevels.Confidential, Single(token, ScopeClaims.Clearance));
    }

    [Fact]
    public async Task TheSeederRefusesAnUnknownClearanceOrInstitution()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => GatewaySeeder.EnsureUserAsync(_gw.Services, "bad.seed", "Passw0rd-bs", [Roles.Cataloguer], "secret"));
        await Assert.ThrowsAsync<ArgumentException>(() => GatewaySeeder.EnsureClientAsync(_gw.Services, "bad-seed", "secret-bs", [Roles.Adapter], SecurityLevels.Internal, "NO-SUCH-CODE"));
    }

    private static string Single(System.Security.Claims.ClaimsIdentity identity, string type) =>
        Assert.Single(identity.FindAll(type)).Value;
}
