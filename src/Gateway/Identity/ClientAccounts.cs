using System.Text.Json;
using MedImaging.ServiceDefaults.Node;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// An OAuth client as the administrator sees it. <see cref="Clearance"/> and <see cref="Institution"/> are what is stored;
/// <see cref="TokenClearance"/> and <see cref="TokenInstitution"/> what its next token carries (public when nothing is
/// stored; an adapter's institution from the node file's <c>adapters</c> map when none is stored). A public client (the
/// portal) issues users' tokens, which carry the user's clearance, never the client's.
/// </summary>
public sealed record ClientAccount(
    string ClientId, string? DisplayName, string ClientType, IReadOnlyList<string> Roles,
    string? Clearance, string? Institution, string TokenClearance, string? TokenInstitution);

/// <summary>Reads and changes clients through OpenIddict's application manager (so its entity cache stays right).</summary>
internal static class ClientAccounts
{
    public static async Task<ClientAccount> ViewAsync(IOpenIddictApplicationManager manager, object application, NodeDescriptor? node, CancellationToken ct)
    {
        var clientId = (await manager.GetClientIdAsync(application, ct))!;
        var properties = await manager.GetPropertiesAsync(application, ct);
        var clearance = AccountScope.StringProperty(properties, AccountScope.ClearanceProperty);
        var institution = AccountScope.StringProperty(properties, AccountScope.InstitutionProperty);
        return new ClientAccount(clientId, await manager.GetDisplayNameAsync(application, ct), await manager.GetClientTypeAsync(application, ct) ?? ClientTypes.Public,
            TokenEndpoint.ClientRoles(properties), clearance, institution,
            AccountScope.TokenClearance(clearance), AccountScope.ClientTokenInstitution(node, clientId, institution));
    }

    /// <summary>
    /// Changes the client's properties and saves it. The manager's store saves through the request scope's
    /// GatewayDbContext, so whatever else that context has staged (the audit event) goes in the same SaveChanges.
    /// </summary>
    public static async Task UpdatePropertiesAsync(IOpenIddictApplicationManager manager, object application,
        Action<Dictionary<string, JsonElement>> change, CancellationToken ct)
    {
        var descriptor = new OpenIddictApplicationDescriptor();
        // Populate copies the stored secret hash; UpdateAsync sees it unchanged and does not hash it again.
        await manager.PopulateAsync(descriptor, application, ct);
        change(descriptor.Properties);
        await manager.UpdateAsync(application, descriptor, ct);
    }
}
