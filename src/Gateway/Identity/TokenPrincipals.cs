using System.Collections.Immutable;
using System.Security.Claims;
using MedImaging.ServiceDefaults.Auth;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// The claims a token carries: <c>sub</c>, <c>name</c> and one <c>role</c> per role, audience medcat-api, and what the
/// caller may see (ADR 0021): <c>clearance</c>, <c>node</c>, <c>institution</c> (when bound to one) and <c>client_id</c>.
/// The access token gets them all (services authorise on roles and filter on clearance); the id token only sub, and
/// name and roles when the client asked for the matching scope.
/// </summary>
internal static class TokenPrincipals
{
    /// <summary>A user's token issued through <paramref name="clientId"/> (the portal) on node <paramref name="nodeId"/>.</summary>
    public static ClaimsPrincipal ForUser(GatewayUser user, ImmutableArray<string> scopes, string? clientId, string? nodeId) =>
        Create(user.Id.ToString(), string.IsNullOrEmpty(user.DisplayName) ? user.UserName : user.DisplayName, user.Roles, scopes, user.UserName,
            new Scope(AccountScope.TokenClearance(user.Clearance), nodeId, user.Institution, clientId));

    /// <summary>A client's own token (client credentials); institution is the one <see cref="AccountScope.ClientTokenInstitution"/> gives.</summary>
    public static ClaimsPrincipal ForClient(string clientId, string? displayName, IEnumerable<string> roles, ImmutableArray<string> scopes,
        string? clearance, string? institution, string? nodeId) =>
        Create(clientId, displayName ?? clientId, roles, scopes, preferredUserName: null,
            new Scope(AccountScope.TokenClearance(clearance), nodeId, institution, clientId));

    private sealed record Scope(string Clearance, string? Node, string? Institution, string? ClientId);

    private static ClaimsPrincipal Create(string subject, string name, IEnumerable<string> roles, ImmutableArray<string> scopes, string? preferredUserName, Scope scope)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject)
                .SetClaim(Claims.Name, name)
                .SetClaims(Claims.Role, [.. roles.Where(Roles.All.Contains).Distinct(StringComparer.Ordinal)])
                .SetClaim(ScopeClaims.Clearance, scope.Clearance)
                .SetClaim(ScopeClaims.Node, scope.Node)
                .SetClaim(ScopeClaims.Institution, scope.Institution)
                .SetClaim(ScopeClaims.ClientId, scope.ClientId);
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
        // What the caller may see is for the services that filter on it, never for the client's id token.
        ScopeClaims.Clearance or ScopeClaims.Node or ScopeClaims.Institution or ScopeClaims.ClientId => [OpenIddictConstants.Destinations.AccessToken],
        // Internal OpenIddict claims (oi_*) and anything else stay out of the tokens.
        _ => [],
    };
}
