using System.Text.Json;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// A user's or client's clearance and institution (ADR 0021): where a client keeps them (OpenIddict application
/// properties, like its roles), what its tokens carry, and which values are valid on this node.
/// </summary>
internal static class AccountScope
{
    /// <summary>The application property that holds a client's clearance (a security level code).</summary>
    public const string ClearanceProperty = "medcat_clearance";

    /// <summary>The application property that holds a client's institution (a registry code of the node file).</summary>
    public const string InstitutionProperty = "medcat_institution";

    /// <summary>What a token says: the stored clearance when it is a level, else public (fail closed).</summary>
    public static string TokenClearance(string? stored) => SecurityLevels.IsLevel(stored) ? stored! : SecurityLevels.Public;

    /// <summary>
    /// What a client's token says for its institution: the stored one, else for a PACS adapter the one the node file's
    /// <c>adapters</c> map gives it, else none (node-wide).
    /// </summary>
    public static string? ClientTokenInstitution(NodeDescriptor? node, string clientId, string? stored) =>
        stored ?? (node is not null && node.Adapters.TryGetValue(clientId, out var adapter) ? adapter.Institution : null);

    public static string? StringProperty(IReadOnlyDictionary<string, JsonElement> properties, string name) =>
        properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    /// <summary>The clearance checked against the security levels; a 400 naming <paramref name="field"/> otherwise.</summary>
    public static string CheckClearance(string? clearance, string field = "clearance") =>
        SecurityLevels.IsLevel(clearance) ? clearance!
            : throw new ValidationProblemException(field,
                $"'{clearance}' is not a security level; the levels are {string.Join(", ", SecurityLevels.All)} (least restricted first).");

    /// <summary>The institution checked against the node file's registry; a 400 naming <paramref name="field"/> otherwise.</summary>
    public static string CheckInstitution(NodeDescriptor node, string? institution, string field = "institution")
    {
        if (institution is not null && node.Institutions.Any(i => i.Code == institution))
            return institution;
        var known = node.Institutions.Count == 0
            ? $"node '{node.NodeId}' lists no institutions"
            : $"the institutions of node '{node.NodeId}' are {string.Join(", ", node.Institutions.Select(i => $"{i.Code} ({i.Name.Zh})"))}";
        throw new ValidationProblemException(field, $"'{institution}' is not the registry code of an institution of this node; {known}.");
    }

    /// <summary>The roles checked against the design's roles; a 400 naming the first unknown one (<c>roles[i]</c>) otherwise.</summary>
    public static string[] CheckRoles(IReadOnlyList<string?> roles, string field = "roles")
    {
        for (var i = 0; i < roles.Count; i++)
            if (roles[i] is not { } role || !Roles.All.Contains(role))
                throw new ValidationProblemException($"{field}[{i}]", $"'{roles[i]}' is not a role; the roles are {string.Join(", ", Roles.All)}.");
        return [.. roles.Distinct(StringComparer.Ordinal)!];
    }
}
