using System.Text.Json;
using MedImaging.Gateway.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// Creates or updates users and OAuth clients of the node's token server. Used by <c>--seed-dev-credentials</c> and by
/// test projects that need a token per role. Each call is idempotent: it leaves the account with exactly the given
/// password (or secret) and roles.
/// </summary>
public static class GatewaySeeder
{
    /// <summary>The public client of the portal and of scripts using the password grant (no secret).</summary>
    public const string PortalClientId = "portal";

    /// <summary>Creates the user, or resets its password, roles and enabled state. Returns true when it was created.</summary>
    public static Task<bool> EnsureUserAsync(IServiceProvider services, string userName, string password, params string[] roles) =>
        EnsureUserAsync(services, userName, password, roles, clearance: null);

    /// <summary>
    /// As the overload above, and sets the user's clearance and institution (a registry code of the node file) when
    /// given; null leaves what is stored (a new user without a clearance gets tokens with clearance public).
    /// </summary>
    public static async Task<bool> EnsureUserAsync(IServiceProvider services, string userName, string password, IReadOnlyList<string> roles,
        string? clearance, string? institution = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        CheckRoles([.. roles]);
        CheckScope(services, clearance, institution);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<GatewayUser>>();

        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName);
        var created = user is null;
        user ??= db.Users.Add(new GatewayUser { UserName = userName, DisplayName = userName }).Entity;
        user.PasswordHash = hasher.HashPassword(user, password);
        user.Roles = [.. roles.Distinct(StringComparer.Ordinal)];
        user.Disabled = false;
        user.Clearance = clearance ?? user.Clearance;
        user.Institution = institution ?? user.Institution;
        await db.SaveChangesAsync();
        return created;
    }

    /// <summary>Disables (or re-enables) a user: a disabled user gets no token by any grant.</summary>
    public static async Task SetUserDisabledAsync(IServiceProvider services, string userName, bool disabled)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        user.Disabled = disabled;
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A confidential client for the client-credentials grant (PACS adapters: role adapter; peer nodes: role node).
    /// Creates it, or resets its secret and roles. Returns true when it was created.
    /// </summary>
    public static async Task<bool> EnsureClientAsync(IServiceProvider services, string clientId, string secret, params string[] roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        CheckRoles(roles);
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = clientId,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        descriptor.Properties[TokenEndpoint.RolesProperty] = JsonSerializer.SerializeToElement(roles.Distinct(StringComparer.Ordinal).ToArray());
        return await UpsertAsync(services, descriptor);
    }

    /// <summary>
    /// As the overload above, and sets the client's clearance and institution (application properties) when given; null
    /// leaves what is stored. A client without a clearance gets tokens with clearance public.
    /// </summary>
    public static async Task<bool> EnsureClientAsync(IServiceProvider services, string clientId, string secret, IReadOnlyList<string> roles,
        string? clearance, string? institution = null)
    {
        CheckScope(services, clearance, institution);
        var created = await EnsureClientAsync(services, clientId, secret, [.. roles]);
        await using var scope = services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await manager.FindByClientIdAsync(clientId) ?? throw new InvalidOperationException($"Client '{clientId}' was not saved.");
        await ClientAccounts.UpdatePropertiesAsync(manager, application, p =>
        {
            if (clearance is not null) p[AccountScope.ClearanceProperty] = JsonSerializer.SerializeToElement(clearance);
            if (institution is not null) p[AccountScope.InstitutionProperty] = JsonSerializer.SerializeToElement(institution);
        }, CancellationToken.None);
        return created;
    }

    /// <summary>
    /// The public portal client: authorization code + PKCE for people in a browser, password grant for scripts and
    /// tests. Redirect URIs are where the portal receives the code.
    /// </summary>
    public static Task<bool> EnsurePortalClientAsync(IServiceProvider services, params Uri[] redirectUris)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = PortalClientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "医学影像资源目录门户 / Catalogue portal",
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Authorization,
                Permissions.GrantTypes.Password,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + Scopes.Profile,
                Permissions.Prefixes.Scope + Scopes.Roles,
                Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in redirectUris)
            descriptor.RedirectUris.Add(uri);
        return UpsertAsync(services, descriptor);
    }

    private static async Task<bool> UpsertAsync(IServiceProvider services, OpenIddictApplicationDescriptor descriptor)
    {
        await using var scope = services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var existing = await manager.FindByClientIdAsync(descriptor.ClientId!);
        if (existing is null)
        {
            await manager.CreateAsync(descriptor);
            return true;
        }
        // Reseeding resets the secret and roles, never the clearance and institution an administrator set.
        var stored = await manager.GetPropertiesAsync(existing);
        foreach (var name in (string[])[AccountScope.ClearanceProperty, AccountScope.InstitutionProperty])
            if (!descriptor.Properties.ContainsKey(name) && stored.TryGetValue(name, out var value))
                descriptor.Properties[name] = value;
        await manager.UpdateAsync(existing, descriptor);
        return false;
    }

    private static void CheckScope(IServiceProvider services, string? clearance, string? institution)
    {
        if (clearance is not null && !SecurityLevels.IsLevel(clearance))
            throw new ArgumentException($"'{clearance}' is not a security level; the levels are {string.Join(", ", SecurityLevels.All)}.", nameof(clearance));
        if (institution is null) return;
        var node = services.GetRequiredService<ServiceHostContext>().RequiredNode;
        if (!node.Institutions.Any(i => i.Code == institution))
            throw new ArgumentException($"'{institution}' is not an institution of node '{node.NodeId}'.", nameof(institution));
    }

    private static void CheckRoles(string[] roles)
    {
        if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
            throw new ArgumentException($"'{unknown}' is not a role; the roles are {string.Join(", ", Roles.All)}.", nameof(roles));
    }
}
