using System.Net;
using System.Text.Json;
using MedImaging.Contracts.Audit;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Gateway.Tests;

/// <summary>
/// Every sign-in and every client token leaves exactly one audit event in the gateway's outbox (issue 11 item 4), with
/// the outcome, the reason and who. Back-off is off and three failures lock, so that each attempt is judged.
/// </summary>
public sealed class GatewayAuditTests : IAsyncLifetime
{
    private const string General = "12130000401705668N";

    private GatewayTestNode _gw = null!;

    public async Task InitializeAsync()
    {
        _gw = await GatewayTestNode.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:SignIn:MaxFailures"] = "3",
            ["Gateway:SignIn:BackoffSeconds"] = "0",
            ["Gateway:SignIn:MaxBackoffSeconds"] = "0",
            ["Gateway:RateLimit:SignInPermitLimit"] = "10000",
        });
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private string NodeId => _gw.Node.Node["nodeId"]!.GetValue<string>();

    private Task<IReadOnlyList<JsonElement>> SignInsAsync(string who) => AuditRows.OfAsync(_gw.Node, AuditActions.SignIn, who);

    [Fact]
    public async Task APasswordSignInIsOneSuccessEventWhoseActorIsTheUserAsTheTokenNamesIt()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "ok.user", "Passw0rd-ok", [Roles.Reviewer], SecurityLevels.Restricted, General);
        var token = await NodeTokens.ValidateAsync(await GatewayTestNode.AccessTokenAsync(await _gw.PasswordGrantAsync("ok.user", "Passw0rd-ok")), _gw.Node.SigningKeyPath, _gw.GatewayUrl);

        var row = Assert.Single(await SignInsAsync("ok.user"));
        Assert.Equal("gateway", row.Str("service"));
        Assert.Equal(NodeId, row.Str("originNode"));
        Assert.Equal(AuditOutcome.SuccessCode, row.Str("outcome", "result"));
        Assert.Equal(token.FindFirst("sub")!.Value, row.Str("actor", "subjectId"));
        Assert.Equal("ok.user", row.Str("actor", "displayName"));
        Assert.Equal(GatewaySeeder.PortalClientId, row.Str("actor", "clientId"));
        Assert.Equal(SecurityLevels.Restricted, row.Str("actor", "clearance"));
        Assert.Equal(General, row.Str("actor", "institution"));
        Assert.Equal(NodeId, row.Str("actor", "node"));
        Assert.Equal("""["reviewer"]""", row.Str("actor", "roles"));
        Assert.Equal(GatewayAudit.PasswordGrant, row.Str("details", "method"));
    }

    [Fact]
    public async Task AWrongPasswordAndAnUnknownNameAreOneFailureEachWithTheSameReasonAndAnAnonymousActor()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "known.user", "Passw0rd-kn", Roles.Cataloguer);

        Assert.Equal(HttpStatusCode.BadRequest, (await _gw.PasswordGrantAsync("known.user", "wrong-1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _gw.PasswordGrantAsync("ghost.user", "wrong-1")).StatusCode);

        foreach (var name in (string[])["known.user", "ghost.user"])
        {
            var row = Assert.Single(await SignInsAsync(name));
            Assert.Equal(AuditOutcome.FailedCode, row.Str("outcome", "result"));
            Assert.Equal(SignInRefusals.InvalidCredentials, row.Str("outcome", "reason"));
            Assert.Equal("anonymous", row.Str("actor", "subjectId"));
            Assert.Equal(GatewaySeeder.PortalClientId, row.Str("actor", "clientId"));
            Assert.Equal(name, row.Str("details", "userName"));
        }
    }

    [Fact]
    public async Task ALockedAccountsSignInIsOneFailureWithReasonLocked()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "locked.user", "Passw0rd-lk", Roles.Cataloguer);
        for (var i = 1; i <= 3; i++) await _gw.PasswordGrantAsync("locked.user", $"guess-{i}");

        Assert.Equal(HttpStatusCode.BadRequest, (await _gw.PasswordGrantAsync("locked.user", "Passw0rd-lk")).StatusCode);

        var rows = await SignInsAsync("locked.user");
        Assert.Equal(4, rows.Count);
        Assert.All(rows.Take(3), r => Assert.Equal(SignInRefusals.InvalidCredentials, r.Str("outcome", "reason")));
        Assert.NotNull(rows[2].Str("details", "lockedUntil")); // the third failure locked the account
        Assert.Equal(SignInRefusals.Locked, rows[3].Str("outcome", "reason"));
        Assert.Equal(AuditOutcome.FailedCode, rows[3].Str("outcome", "result"));
        Assert.Equal("anonymous", rows[3].Str("actor", "subjectId"));
    }

    [Fact]
    public async Task ADisabledAccountsSignInIsOneFailureWithReasonDisabled()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "off.user", "Passw0rd-off", Roles.Cataloguer);
        await GatewaySeeder.SetUserDisabledAsync(_gw.Services, "off.user", disabled: true);

        await _gw.PasswordGrantAsync("off.user", "Passw0rd-off");

        Assert.Equal(SignInRefusals.Disabled, Assert.Single(await SignInsAsync("off.user")).Str("outcome", "reason"));
    }

    [Fact]
    public async Task TheSignInPageAuditsSuccessAndFailureToo()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "page.user", "Passw0rd-pg", [Roles.Cataloguer], SecurityLevels.Internal);
        using var browser = SignInPage.Browser(_gw.Gateway);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInPage.SubmitAsync(browser, "page.user", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInPage.SubmitAsync(browser, "page.user", "Passw0rd-pg")).StatusCode);

        var rows = await SignInsAsync("page.user");
        Assert.Equal(2, rows.Count);
        Assert.Equal(SignInRefusals.InvalidCredentials, rows[0].Str("outcome", "reason"));
        Assert.Equal(AuditOutcome.SuccessCode, rows[1].Str("outcome", "result"));
        Assert.Equal(SecurityLevels.Internal, rows[1].Str("actor", "clearance"));
        Assert.All(rows, r => Assert.Equal(GatewayAudit.SignInPage, r.Str("details", "method")));
    }

    [Fact]
    public async Task AClientCredentialsTokenIsOneTokenIssuedEventForThatClient()
    {
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "pacs-audit", "pacs-audit-secret", [Roles.Adapter], SecurityLevels.Internal, General);

        await GatewayTestNode.AccessTokenAsync(await _gw.ClientCredentialsAsync("pacs-audit", "pacs-audit-secret"));

        var row = Assert.Single(await AuditRows.OfAsync(_gw.Node, AuditActions.TokenIssued, "pacs-audit"));
        Assert.Equal(AuditOutcome.SuccessCode, row.Str("outcome", "result"));
        Assert.Equal("pacs-audit", row.Str("actor", "subjectId"));
        Assert.Equal("pacs-audit", row.Str("actor", "clientId"));
        Assert.Equal(SecurityLevels.Internal, row.Str("actor", "clearance"));
        Assert.Equal(General, row.Str("actor", "institution"));
        Assert.Equal("""["adapter"]""", row.Str("actor", "roles"));
        Assert.Equal("client_credentials", row.Str("details", "grantType"));
        // A password sign-in is a sign-in, not also a token-issued event.
        Assert.Empty(await AuditRows.OfAsync(_gw.Node, AuditActions.TokenIssued, GatewaySeeder.PortalClientId));
    }

    [Fact]
    public async Task ARefusedClientAuthenticationIsOneDeniedEvent()
    {
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "pacs-guessed", "pacs-right-secret", Roles.Adapter);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _gw.ClientCredentialsAsync("pacs-guessed", "wrong-secret")).StatusCode);

        var row = Assert.Single(await AuditRows.OfAsync(_gw.Node, AuditActions.TokenIssued, "pacs-guessed"));
        Assert.Equal(AuditOutcome.DeniedCode, row.Str("outcome", "result"));
        Assert.Equal("invalid_client", row.Str("outcome", "reason"));
        Assert.Equal("anonymous", row.Str("actor", "subjectId"));
        Assert.Equal("pacs-guessed", row.Str("details", "clientId"));
    }
}
