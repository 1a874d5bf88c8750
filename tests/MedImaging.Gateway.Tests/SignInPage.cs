using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MedImaging.Gateway.Identity;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace MedImaging.Gateway.Tests;

/// <summary>The gateway's sign-in page and authorization endpoint as a browser uses them.</summary>
internal static partial class SignInPage
{
    public static HttpClient Browser(ServiceFactory<GatewayMarker> gateway) =>
        gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Loads the page (for its antiforgery token) and submits the form.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string userName, string password)
    {
        var page = await browser.GetStringAsync(IdentityExtensions.LoginPath);
        return await browser.PostAsync(IdentityExtensions.LoginPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenInput().Match(page).Groups[1].Value,
            ["returnUrl"] = "/", ["userName"] = userName, ["password"] = password,
        }));
    }

    public static Uri RedirectUri(GatewayTestNode gw) => DevCredentials.PortalRedirectUris(gw.GatewayUrl)[0];

    /// <summary>An authorization request carrying only the given cookie: where the gateway sends the browser.</summary>
    public static async Task<Uri> AuthorizeAsync(ITestHost gateway, GatewayTestNode gw, string cookie)
    {
        using var client = ((ServiceFactory<GatewayMarker>)gateway).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes("verifier-" + Guid.NewGuid()))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var request = new HttpRequestMessage(HttpMethod.Get, QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = GatewaySeeder.PortalClientId, ["response_type"] = "code", ["redirect_uri"] = RedirectUri(gw).AbsoluteUri,
            ["scope"] = "openid profile roles", ["state"] = "st", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        }));
        request.Headers.Add("Cookie", cookie);
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return new Uri(new Uri("http://localhost"), response.Headers.Location!);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex HiddenInput();
}
