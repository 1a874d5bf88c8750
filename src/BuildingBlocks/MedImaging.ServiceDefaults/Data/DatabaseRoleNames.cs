using System.Text.RegularExpressions;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.ServiceDefaults.Data;

/// <summary>
/// The two PostgreSQL roles of one service on one node database (docs/adr/0022): <c>&lt;database&gt;_&lt;service&gt;_owner</c> owns
/// the service's schema and runs its migrations; <c>&lt;database&gt;_&lt;service&gt;</c> is what the host logs in as at run time.
/// Role names are cluster-wide, so the database name keeps two nodes on one server apart.
/// </summary>
public sealed partial record DatabaseRoleNames(string RunTime, string Owner)
{
    /// <summary>PostgreSQL's NAMEDATALEN - 1: longer identifiers are silently truncated, so two names could collide.</summary>
    public const int MaxLength = 63;

    public static DatabaseRoleNames For(string database, string service)
    {
        var runTime = $"{database}_{service}";
        var owner = runTime + "_owner";
        // Plain lower-case identifiers only: the provisioning SQL quotes them, but names that need quoting are a mistake here.
        if (!PlainIdentifier().IsMatch(runTime))
            throw new NodeConfigurationException(
                $"database role '{runTime}' (database '{database}', service '{service}') is not a plain lower-case identifier.");
        if (owner.Length > MaxLength)
            throw new NodeConfigurationException(
                $"database role '{owner}' is {owner.Length} characters, PostgreSQL allows {MaxLength}: shorten the node's database name.");
        return new DatabaseRoleNames(runTime, owner);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}
