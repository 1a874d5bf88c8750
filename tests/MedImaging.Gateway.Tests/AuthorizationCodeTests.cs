using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace MedImaging.Gateway.Tests;

/// <summary>The portal's flow as a browser runs it: authorize → sign-in page → code → token with the PKCE verifier.</summary>
public sealed partial class AuthorizationCodeTests : IAsyncLifetime
{
    private GatewayTestNode _gw = null!;

    public async Task InitializeAsync()
    {
        _gw = await GatewayTestNode.StartAsync();
        await GatewaySeeder.EnsureUserAsync(_gw.Services, "chen.cataloguer", "编目-Passw0rd", Roles.Cataloguer);
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private Uri RedirectUri => DevCredentials.PortalRedirectUris(_gw.GatewayUrl)[0];

    [Fact]
    public async Task SignedInUserGetsACodeThatRedeemsForATokenWithItsRoles()
    {
        using var browser = _gw.Gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = GatewaySeeder.PortalClientId, ["response_type"] = "code", ["redirect_uri"] = RedirectUri.AbsoluteUri,
            ["scope"] = "openid profile roles", ["state"] = "st-1", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        });

        // Not signed in: to the sign-in page, which is Chinese first.
        var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.Equal(IdentityExtensions.LoginPath, new Uri(new Uri("http://localhost"), toLogin.Headers.Location!).AbsolutePath);
        var page = await (await browser.GetAsync(toLogin.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("lang=\"zh-CN\"", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("用户名", StringComparison.Ordinal) < page.IndexOf("User name", StringComparison.Ordinal));

        var signedIn = await browser.PostAsync(IdentityExtensions.LoginPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenInput().Match(page).Groups[1].Value,
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrlInput().Match(page).Groups[1].Value),
            ["userName"] = "chen.cataloguer",
            ["password"] = "编目-Passw0rd",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var toPortal = await browser.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, toPortal.StatusCode);
        Assert.StartsWith(RedirectUri.AbsoluteUri, toPortal.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        var callback = QueryHelpers.ParseQuery(toPortal.Headers.Location.Query);
        Assert.Equal("st-1", callback["state"]);

        var token = await GatewayTestNode.AccessTokenAsync(await _gw.RequestTokenAsync(
            ("grant_type", "authorization_code"), ("client_id", GatewaySeeder.PortalClientId), ("code", callback["code"]!),
            ("redirect_uri", RedirectUri.AbsoluteUri), ("code_verifier", verifier)));
        var identity = await NodeTokens.ValidateAsync(token, _gw.Node.SigningKeyPath, _gw.GatewayUrl);
        Assert.Equal([Roles.Cataloguer], identity.Roles());
        Assert.Equal("chen.cataloguer", identity.Name);
        // The code was issued to the portal; the user has no stored clearance, so the token says public (fail closed).
        Assert.Equal(GatewaySeeder.PortalClientId, identity.FindFirst(ScopeClaims.ClientId)?.Value);
        Assert.Equal(SecurityLevels.Public, identity.FindFirst(ScopeClaims.Clearance)?.Value);
    }

    [Fact]
    public async Task WrongPasswordOnTheSignInPageShowsTheErrorAndSetsNoCookie()
    {
        using var browser = _gw.Gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.GetStringAsync(IdentityExtensions.LoginPath);

        var response = await browser.PostAsync(IdentityExtensions.LoginPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenInput().Match(page).Groups[1].Value,
            ["returnUrl"] = "/", ["userName"] = "chen.cataloguer", ["password"] = "wrong",
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("medcat.gateway.login", StringComparison.Ordinal)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlInput();
}
