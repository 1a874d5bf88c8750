using System.Collections.Immutable;
using System.Security.Claims;
using MedImaging.ServiceDefaults.Auth;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// The claims a token carries: <c>sub</c>, <c>name</c> and one <c>role</c> per role, audience medcat-api. The access
/// token gets them all (services authorise on roles); the id token only when the client asked for the matching scope.
/// </summary>
internal static class TokenPrincipals
{
    public static ClaimsPrincipal ForUser(GatewayUser user, ImmutableArray<string> scopes) =>
        Create(user.Id.ToString(), string.IsNullOrEmpty(user.DisplayName) ? user.UserName : user.DisplayName, user.Roles, scopes, user.UserName);

    public static ClaimsPrincipal ForClient(string clientId, string? displayName, IEnumerable<string> roles, ImmutableArray<string> scopes) =>
        Create(clientId, displayName ?? clientId, roles, scopes, preferredUserName: null);

    private static ClaimsPrincipal Create(string subject, string name, IEnumerable<string> roles, ImmutableArray<string> scopes, string? preferredUserName)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject)
                .SetClaim(Claims.Name, name)
                .SetClaims(Claims.Role, [.. roles.Where(Roles.All.Contains).Distinct(StringComparer.Ordinal)]);
        if (preferredUserName is not null)
            identity.SetClaim(Claims.PreferredUsername, preferredUserName);
        identity.SetScopes(scopes);
        identity.SetAudiences(NodeSigningKey.Audience);
        identity.SetResources(NodeSigningKey.Audience);
        identity.SetDestinations(claim => Destinations(claim, scopes));
        return new ClaimsPrincipal(identity);
    }

    private static IEnumerable<string> Destinations(Claim claim, ImmutableArray<string> scopes) => claim.Type switch
    {
        Claims.Subject => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Name or Claims.PreferredUsername when scopes.Contains(Scopes.Profile) =>
            [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Role when scopes.Contains(Scopes.Roles) =>
            [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Name or Claims.Role or Claims.PreferredUsername => [OpenIddictConstants.Destinations.AccessToken],
        // Internal OpenIddict claims (oi_*) and anything else stay out of the tokens.
        _ => [],
    };
}
