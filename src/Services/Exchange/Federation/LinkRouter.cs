using System.Security.Cryptography;
using System.Text;
using MedImaging.Contracts.Exchange;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// Where an entry at this node may go next, and on what terms (ADR 0031, ADR 0032). Up to the parent unless it came
/// from there; down to the children when it is this node's own or came from the parent; sideways to the other
/// children when it came from a child (city↔city only through the province). Never to a node already on its path,
/// so it never comes back to its origin.
/// </summary>
public static class LinkRouter
{
    public sealed record Hop(string Target, LinkDirection Direction, SharingDecision Decision, string Share);

    /// <param name="path">The nodes the entry came through, origin first; empty for this node's own entry.</param>
    /// <param name="arrivedAs">The share type it arrived with; null for this node's own entry.</param>
    public static IEnumerable<Hop> Next(NodeDescriptor node, IReadOnlyList<string> path, string? arrivedAs, string? classificationCode, string? securityClassification)
    {
        var cameFrom = path.Count == 0 ? null : path[^1];
        foreach (var (target, direction) in Candidates(node, path, cameFrom))
        {
            var decision = node.Routing.Decide(direction, target, classificationCode, securityClassification);
            yield return new Hop(target, direction, decision, Strictest(arrivedAs, decision.Share));
        }
    }

    /// <summary>Every neighbour the entry could be sent to from here, whatever the rules say.</summary>
    public static IEnumerable<(string Target, LinkDirection Direction)> Candidates(NodeDescriptor node, IReadOnlyList<string> path, string? cameFrom)
    {
        if (node.Parent is { } parent && !path.Contains(parent, StringComparer.Ordinal)) yield return (parent, LinkDirection.Up);
        foreach (var child in node.Children)
        {
            if (path.Contains(child, StringComparer.Ordinal)) continue;
            if (cameFrom is null || cameFrom == node.Parent) yield return (child, LinkDirection.Down);
            else if (node.Children.Contains(cameFrom, StringComparer.Ordinal)) yield return (child, LinkDirection.Sideways);
        }
    }

    /// <summary>Conditional wins over unconditional: a link never loosens what an earlier link required.</summary>
    public static string Strictest(string? arrivedAs, ShareType rule)
    {
        var here = rule == ShareType.Conditional ? "conditional" : "unconditional";
        return arrivedAs == "conditional" ? "conditional" : here;
    }

    /// <summary>
    /// The pseudonym the target sees: re-keyed with this node's key and the target's id, so that the same patient's
    /// pseudonyms sent to two nodes, or arriving from two nodes, cannot be joined; unchanged where the rule keeps it.
    /// </summary>
    public static string? Pseudonym(string? pseudonym, SharingDecision decision, string target, byte[] key)
    {
        if (pseudonym is null || decision.Pseudonyms == PseudonymPolicy.Keep) return pseudonym;
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"link\n{target}\n{pseudonym}")))[..32];
    }

    public static bool IsShareType(string? share) => share is "conditional" or "unconditional";

    public static IEnumerable<string> Kinds => [FederatedEntry.Published, FederatedEntry.Revised, FederatedEntry.Withdrawn, FederatedEntry.Unshared];
}
