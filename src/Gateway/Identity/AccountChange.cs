using System.Text.Json;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// The body of <c>PATCH /admin/users/{userName}</c> and <c>PATCH /admin/clients/{clientId}</c>, as the API document shows
/// it: each field given is set, each left out stays. <c>institution: null</c> makes the account node-wide.
/// </summary>
public sealed record AccountChangeRequest(string[]? Roles, string? Clearance, string? Institution, bool? Disabled);

/// <summary>
/// An administrator's change to an account, checked field by field against the design's roles, the security levels and
/// the node file's institutions; every refusal is a 400 naming the field (<c>roles[1]</c>, <c>clearance</c> …).
/// </summary>
internal sealed record AccountChange(string[]? Roles, string? Clearance, bool SetsInstitution, string? Institution, bool? Disabled)
{
    /// <summary>
    /// Reads the JSON body by hand rather than binding a record: binding cannot tell <c>"institution": null</c> (make the
    /// account node-wide) from a body that leaves the institution out (keep it).
    /// </summary>
    public static AccountChange Parse(JsonElement body, NodeDescriptor node, bool forUser)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ValidationProblemException("$", "The body is a JSON object with any of roles, clearance, institution" + (forUser ? ", disabled." : "."));

        string[]? roles = null;
        string? clearance = null, institution = null;
        bool setsInstitution = false;
        bool? disabled = null;
        foreach (var field in body.EnumerateObject())
        {
            bool Is(string name) => field.Name.Equals(name, StringComparison.OrdinalIgnoreCase);
            var text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : field.Value.GetRawText();
            if (Is("roles"))
            {
                if (field.Value.ValueKind != JsonValueKind.Array)
                    throw new ValidationProblemException("roles", "roles is an array of role names (may be empty).");
                roles = AccountScope.CheckRoles([.. field.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())]);
            }
            else if (Is("clearance"))
                clearance = AccountScope.CheckClearance(text);
            else if (Is("institution"))
            {
                setsInstitution = true;
                institution = field.Value.ValueKind == JsonValueKind.Null ? null : AccountScope.CheckInstitution(node, text);
            }
            else if (forUser && Is("disabled"))
                disabled = field.Value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new ValidationProblemException("disabled", "disabled is true or false."),
                };
            else
                throw new ValidationProblemException(field.Name,
                    $"'{field.Name}' cannot be changed here; give any of roles, clearance, institution" + (forUser ? ", disabled." : "."));
        }
        if (roles is null && clearance is null && !setsInstitution && disabled is null)
            throw new ValidationProblemException("$", "Nothing to change: give any of roles, clearance, institution" + (forUser ? ", disabled." : "."));
        return new AccountChange(roles, clearance, setsInstitution, institution, disabled);
    }

    /// <summary>What changed as audit details (<c>clearance.before</c>, <c>clearance.after</c> …); empty when nothing did.</summary>
    public static void Note(Dictionary<string, string> details, string field, string? before, string? after)
    {
        if (string.Equals(before ?? "", after ?? "", StringComparison.Ordinal)) return;
        details[field + ".before"] = before ?? "";
        details[field + ".after"] = after ?? "";
    }

    public static string Join(IEnumerable<string> roles) => string.Join(",", roles.Order(StringComparer.Ordinal));
}
