using System.Globalization;
using Microsoft.AspNetCore;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using MedImaging.ServiceDefaults.Hosting;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// POST /connect/token after OpenIddict has validated the request and the client: decides who the token is for.
/// Every refusal is an OAuth error (invalid_grant, unsupported_grant_type), never a 500.
/// </summary>
internal static class TokenEndpoint
{
    /// <summary>The application property that holds a confidential client's roles (a JSON array of role names).</summary>
    public const string RolesProperty = "medcat_roles";

    public static async Task<IResult> Exchange(HttpContext context, IOpenIddictApplicationManager applications, UserDirectory users, GatewayAudit audit,
        ServiceHostContext host, TimeProvider clock, CancellationToken ct)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var node = host.Node;

        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!, ct);
            if (application is null)
                return Refuse(Errors.InvalidClient, "Unknown client.");
            var properties = await applications.GetPropertiesAsync(application, ct);
            var name = await applications.GetDisplayNameAsync(application, ct);
            var principal = TokenPrincipals.ForClient(request.ClientId!, name, ClientRoles(properties), request.GetScopes(),
                AccountScope.StringProperty(properties, AccountScope.ClearanceProperty),
                AccountScope.ClientTokenInstitution(node, request.ClientId!, AccountScope.StringProperty(properties, AccountScope.InstitutionProperty)),
                node?.NodeId);
            await audit.TokenIssuedAsync(context, principal, GrantTypes.ClientCredentials);
            return SignIn(principal);
        }

        if (request.IsPasswordGrantType())
        {
            ClaimsPrincipal? principal = null;
            var outcome = await users.SignInAsync(request.Username, request.Password, context.Connection.RemoteIpAddress?.ToString(), user =>
            {
                principal = TokenPrincipals.ForUser(user, request.GetScopes(), request.ClientId, node?.NodeId);
                audit.StageSignIn(context, principal, GatewayAudit.PasswordGrant);
            }, ct);
            if (principal is not null)
                return SignIn(principal);
            await audit.SignInRefusedAsync(context, request.Username, request.ClientId, outcome, GatewayAudit.PasswordGrant);
            var now = clock.GetUtcNow();
            if (outcome.WaitUntil is { } until)
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            // Chinese first, English after, as on the sign-in page; the error stays invalid_grant (RFC 6749 §5.2).
            var (zh, en) = outcome.Message(now);
            return Refuse(Errors.InvalidGrant, $"{zh} {en}");
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token was validated by OpenIddict; the account is checked again because it may
            // have been disabled or had its roles changed since.
            var principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
            var user = Guid.TryParse(principal?.GetClaim(Claims.Subject), out var id) ? await users.FindByIdAsync(id, ct) : null;
            return user is null || user.Disabled
                ? Refuse(Errors.InvalidGrant, "The account no longer exists or is disabled.")
                : SignIn(TokenPrincipals.ForUser(user, principal!.GetScopes(), request.ClientId, node?.NodeId));
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    internal static IReadOnlyList<string> ClientRoles(IReadOnlyDictionary<string, JsonElement> properties) =>
        properties.TryGetValue(RolesProperty, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

    private static IResult SignIn(ClaimsPrincipal principal) =>
        Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
