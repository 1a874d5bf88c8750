using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.Contracts.Audit;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Gateway.Tests;

/// <summary>The administrator's accounts API: roles, clearance and institution per user and client, audited, in the next token.</summary>
public sealed class AccountsApiTests : IAsyncLifetime
{
    private const string Hospital2 = "121300004017055782";
    private const string General = "12130000401705668N";

    private GatewayTestNode _gw = null!;

    public async Task InitializeAsync()
    {
        _gw = await GatewayTestNode.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:SignIn:BackoffSeconds"] = "0" });
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private HttpClient Admin() => _gw.CreateClient().WithToken(TestTokens.Create(_gw.Node, "node-admin", Roles.Admin));

    private static JsonContent Json(object body) => JsonContent.Create(body);

    private async Task<System.Security.Claims.ClaimsIdentity> UserTokenAsync(string user, string password) =>
        await NodeTokens.ValidateAsync(await GatewayTestNode.AccessTokenAsync(await _gw.PasswordGrantAsync(user, password)), _gw.Node.SigningKeyPath, _gw.GatewayUrl);

    private async Task<System.Security.Claims.ClaimsIdentity> ClientTokenAsync(string client, string secret) =>
        await NodeTokens.ValidateAsync(await GatewayTestNode.AccessTokenAsync(await _gw.ClientCredentialsAsync(client, secret)), _gw.Node.SigningKeyPath, _gw.GatewayUrl);

    [Fact]
    public async Task SettingAUsersRolesClearanceAndInstitutionShowsInTheListAndTheNextToken()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "ma.staff", "Passw0rd-ma", Roles.Researcher);
        Assert.Equal(SecurityLevels.Public, (await UserTokenAsync("ma.staff", "Passw0rd-ma")).FindFirst(ScopeClaims.Clearance)?.Value);

        using var admin = Admin();
        var changed = await admin.PatchAsync($"{AccountsApi.UsersPath}/ma.staff",
            Json(new { roles = new[] { Roles.Cataloguer, Roles.Reviewer }, clearance = SecurityLevels.Restricted, institution = General }));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var view = await GatewayTestNode.JsonAsync(changed);
        Assert.Equal(SecurityLevels.Restricted, view.GetProperty("clearance").GetString());
        Assert.Equal(General, view.GetProperty("institution").GetString());

        var listed = (await admin.GetFromJsonAsync<JsonElement>($"{AccountsApi.UsersPath}?pageSize=500")).GetProperty("items").EnumerateArray()
            .Single(u => u.GetProperty("userName").GetString() == "ma.staff");
        Assert.Equal([Roles.Cataloguer, Roles.Reviewer], listed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(SecurityLevels.Restricted, listed.GetProperty("clearance").GetString());
        Assert.False(listed.GetProperty("disabled").GetBoolean());

        var token = await UserTokenAsync("ma.staff", "Passw0rd-ma");
        Assert.Equal(SecurityLevels.Restricted, token.FindFirst(ScopeClaims.Clearance)?.Value);
        Assert.Equal(General, token.FindFirst(ScopeClaims.Institution)?.Value);
        Assert.Equal([Roles.Cataloguer, Roles.Reviewer], token.Roles());

        // institution null: node-wide again.
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"{AccountsApi.UsersPath}/ma.staff", Json(new { institution = (string?)null }))).StatusCode);
        Assert.Null((await UserTokenAsync("ma.staff", "Passw0rd-ma")).FindFirst(ScopeClaims.Institution));
    }

    [Fact]
    public async Task EachUserChangeIsAuditedOnceWithWhatChangedAndWho()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "audit.user", "Passw0rd-au", [Roles.Cataloguer], SecurityLevels.Internal);
        using var admin = Admin();

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"{AccountsApi.UsersPath}/audit.user",
            Json(new { clearance = SecurityLevels.Confidential, institution = Hospital2 }))).StatusCode);
        // The same values again change nothing, and leave no second record.
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"{AccountsApi.UsersPath}/audit.user",
            Json(new { clearance = SecurityLevels.Confidential, institution = Hospital2 }))).StatusCode);

        var row = Assert.Single(await AuditRows.OfAsync(_gw.Node, AuditActions.AccountChange, "audit.user"));
        Assert.Equal("gateway", row.Str("service"));
        Assert.Equal(AuditOutcome.SuccessCode, row.Str("outcome", "result"));
        Assert.Equal("node-admin", row.Str("actor", "subjectId"));
        Assert.Equal("user", row.Str("resource", "kind"));
        Assert.Equal("audit.user", row.Str("resource", "identifier"));
        Assert.Equal(SecurityLevels.Internal, row.Str("details", "clearance.before"));
        Assert.Equal(SecurityLevels.Confidential, row.Str("details", "clearance.after"));
        Assert.Equal("", row.Str("details", "institution.before"));
        Assert.Equal(Hospital2, row.Str("details", "institution.after"));
        Assert.Null(row.Str("details", "roles.after")); // roles did not change
    }

    [Fact]
    public async Task DisablingAUserThroughTheApiRefusesItsNextSignIn()
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "to.disable", "Passw0rd-td", Roles.Publisher);
        using var admin = Admin();

        var response = await admin.PatchAsync($"{AccountsApi.UsersPath}/to.disable", Json(new { disabled = true }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await GatewayTestNode.JsonAsync(response)).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await _gw.PasswordGrantAsync("to.disable", "Passw0rd-td")).StatusCode);
    }

    [Fact]
    public async Task SettingAClientsClearanceAndInstitutionShowsInItsNextTokenAndIsAudited()
    {
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "pacs-api", "pacs-api-secret", Roles.Adapter);
        Assert.Equal(SecurityLevels.Public, (await ClientTokenAsync("pacs-api", "pacs-api-secret")).FindFirst(ScopeClaims.Clearance)?.Value);
        using var admin = Admin();

        var changed = await admin.PatchAsync($"{AccountsApi.ClientsPath}/pacs-api",
            Json(new { clearance = SecurityLevels.Internal, institution = General, roles = new[] { Roles.Adapter, Roles.Node } }));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var view = await GatewayTestNode.JsonAsync(changed);
        Assert.Equal(SecurityLevels.Internal, view.GetProperty("tokenClearance").GetString());
        var token = await ClientTokenAsync("pacs-api", "pacs-api-secret"); // the secret still works: the update kept its hash
        Assert.Equal(SecurityLevels.Internal, token.FindFirst(ScopeClaims.Clearance)?.Value);
        Assert.Equal(General, token.FindFirst(ScopeClaims.Institution)?.Value);
        Assert.Equal([Roles.Adapter, Roles.Node], token.Roles());

        var row = Assert.Single(await AuditRows.OfAsync(_gw.Node, AuditActions.AccountChange, "node-admin"), r => r.Str("resource", "id") == "pacs-api");
        Assert.Equal("client", row.Str("resource", "kind"));
        Assert.Equal(SecurityLevels.Internal, row.Str("details", "clearance.after"));
        Assert.Equal("adapter,node", row.Str("details", "roles.after"));

        var got = await admin.GetFromJsonAsync<JsonElement>($"{AccountsApi.ClientsPath}/pacs-api");
        Assert.Equal(General, got.GetProperty("institution").GetString());
        var listed = await admin.GetFromJsonAsync<JsonElement>($"{AccountsApi.ClientsPath}?pageSize=500");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), c => c.GetProperty("clientId").GetString() == "pacs-api");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), c => c.GetProperty("clientId").GetString() == GatewaySeeder.PortalClientId);
    }

    [Theory]
    [InlineData("""{"clearance":"top-secret"}""", "clearance")]
    [InlineData("""{"clearance":null}""", "clearance")]
    [InlineData("""{"institution":"NO-SUCH-HOSPITAL"}""", "institution")]
    [InlineData("""{"roles":["cataloguer","wizard"]}""", "roles[1]")]
    [InlineData("""{"roles":"cataloguer"}""", "roles")]
    [InlineData("""{"disabled":"yes"}""", "disabled")]
    [InlineData("""{"password":"x"}""", "password")]
    [InlineData("""{}""", "$")]
    public async Task AnInvalidUserChangeIsA400NamingTheField(string body, string field)
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "bad.input", "Passw0rd-bi", [Roles.Cataloguer], SecurityLevels.Internal);
        using var admin = Admin();

        var response = await admin.PatchAsync($"{AccountsApi.UsersPath}/bad.input", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await AssertNamesFieldAsync(response, field);
        var unchanged = await admin.GetFromJsonAsync<JsonElement>($"{AccountsApi.UsersPath}/bad.input");
        Assert.Equal(SecurityLevels.Internal, unchanged.GetProperty("clearance").GetString());
    }

    [Theory]
    [InlineData("pacs-bad", """{"clearance":"secret"}""", "clearance")]
    [InlineData("pacs-bad", """{"institution":"nowhere"}""", "institution")]
    [InlineData("pacs-bad", """{"roles":["root"]}""", "roles[0]")]
    [InlineData("pacs-bad", """{"disabled":true}""", "disabled")]
    [InlineData("portal", """{"clearance":"internal"}""", "clientId")]
    public async Task AnInvalidClientChangeIsA400NamingTheField(string clientId, string body, string field)
    {
        await GatewaySeeder.EnsureClientAsync(_gw.Services, "pacs-bad", "pacs-bad-secret", Roles.Adapter);
        using var admin = Admin();

        await AssertNamesFieldAsync(await admin.PatchAsync($"{AccountsApi.ClientsPath}/{clientId}", new StringContent(body, System.Text.Encoding.UTF8, "application/json")), field);
    }

    [Fact]
    public async Task AnUnknownAccountIs404()
    {
        using var admin = Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{AccountsApi.UsersPath}/no.one")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{AccountsApi.ClientsPath}/no-client")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsync($"{AccountsApi.UsersPath}/no.one", Json(new { clearance = "internal" }))).StatusCode);
    }

    [Theory]
    [InlineData("GET", AccountsApi.UsersPath)]
    [InlineData("GET", AccountsApi.UsersPath + "/someone")]
    [InlineData("PATCH", AccountsApi.UsersPath + "/someone")]
    [InlineData("GET", AccountsApi.ClientsPath)]
    [InlineData("GET", AccountsApi.ClientsPath + "/portal")]
    [InlineData("PATCH", AccountsApi.ClientsPath + "/portal")]
    public async Task OnlyTheAdminRoleMayUseTheAccountsApi(string method, string path)
    {
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "someone", "Passw0rd-so", Roles.Cataloguer);
        foreach (var role in (string[])[Roles.Cataloguer, Roles.Regulator, Roles.Node])
        {
            using var caller = _gw.CreateClient().WithToken(TestTokens.Create(_gw.Node, "not-admin", role));
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "PATCH" ? Json(new { clearance = "confidential" }) : null };
            var response = await caller.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role}: {(int)response.StatusCode}");
        }
        using var anonymous = _gw.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        using var admin = Admin();
        Assert.Equal(SecurityLevels.Public, (await admin.GetFromJsonAsync<JsonElement>($"{AccountsApi.UsersPath}/someone")).GetProperty("tokenClearance").GetString());
    }

    private static async Task AssertNamesFieldAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"the problem does not name {field}: {body}");
    }
}
