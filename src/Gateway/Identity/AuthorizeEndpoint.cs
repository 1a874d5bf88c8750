using Microsoft.AspNetCore;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Extensions;
using MedImaging.ServiceDefaults.Hosting;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// GET/POST /connect/authorize (authorization code + PKCE, validated by OpenIddict): a person signed in at the
/// gateway's login page gets a code; anyone else is sent to the login page and comes back here.
/// </summary>
internal static class AuthorizeEndpoint
{
    public static async Task<IResult> Authorize(HttpContext context, UserDirectory users, ServiceHostContext host, CancellationToken ct)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var login = await context.AuthenticateAsync(IdentityExtensions.LoginScheme);
        var user = login.Succeeded && Guid.TryParse(login.Principal.FindFirstValue(Claims.Subject), out var id)
            ? await users.FindByIdAsync(id, ct)
            : null;

        if (user is null || user.Disabled || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
                return Results.Forbid(
                    new AuthenticationProperties(new Dictionary<string, string?>
                    {
                        [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user is not signed in.",
                    }),
                    [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

            // Back to this same request after the login page; prompt=login is dropped so the loop ends.
            var parameters = context.Request.HasFormContentType
                ? context.Request.Form.Where(p => p.Key != Parameters.Prompt).ToList()
                : context.Request.Query.Where(p => p.Key != Parameters.Prompt).ToList();
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [IdentityExtensions.LoginScheme]);
        }

        return Results.SignIn(TokenPrincipals.ForUser(user, request.GetScopes(), request.ClientId, host.Node?.NodeId), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
