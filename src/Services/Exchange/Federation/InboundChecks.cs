using System.Text.Json;
using MedImaging.Contracts.Exchange;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// What an arriving <see cref="FederatedEntry"/> must satisfy before anything of it is kept (ADR 0032): addressed to
/// this node by a neighbour, on a path that starts at its origin, ends at the sender and has never been here, both
/// signatures good, and a payload that is the fact the envelope says it is.
/// </summary>
public static class InboundChecks
{
    /// <summary>The checked fact, or why the entry is refused.</summary>
    public static (EntryFact? Fact, string? Refusal) Check(FederatedEntry e, NodeDescriptor node, EntrySignatures signatures)
    {
        if (Envelope(e, node) is { } problem) return (null, problem);
        if (signatures.Check(e) is { } bad) return (null, bad);
        try
        {
            return Payload(e);
        }
        catch (JsonException ex)
        {
            return (null, $"the payload is not a {e.Kind} fact: {ex.Message}");
        }
    }

    private static string? Envelope(FederatedEntry e, NodeDescriptor node)
    {
        if (!LinkRouter.Kinds.Contains(e.Kind)) return $"kind '{e.Kind}' is not one of {string.Join(", ", LinkRouter.Kinds)}";
        if (e.Recipient != node.NodeId) return $"addressed to '{e.Recipient}', not to this node '{node.NodeId}'";
        if (e.Sender != node.Parent && !node.Children.Contains(e.Sender, StringComparer.Ordinal))
            return $"sent by '{e.Sender}', which is neither this node's parent nor one of its children";
        if (e.OriginNode == node.NodeId) return $"the entry's origin is this node '{node.NodeId}': it came back";
        if (e.Path is not { Count: > 0 } path) return "the entry has no path";
        if (path.Contains(node.NodeId, StringComparer.Ordinal)) return $"this node '{node.NodeId}' is on the entry's path already ({string.Join(" → ", path)})";
        if (path[0] != e.OriginNode) return $"the path starts at '{path[0]}', not at the origin '{e.OriginNode}'";
        if (path[^1] != e.Sender) return $"the path ends at '{path[^1]}', not at the sender '{e.Sender}'";
        if (path.Distinct(StringComparer.Ordinal).Count() != path.Count) return $"the path visits a node twice ({string.Join(" → ", path)})";
        if (!LinkRouter.IsShareType(e.Share)) return $"share '{e.Share}' is not unconditional or conditional";
        return null;
    }

    private static (EntryFact? Fact, string? Refusal) Payload(FederatedEntry e)
    {
        string? classification = null, security = null;
        (string Origin, Guid Id, int Version)? said = e.Kind switch
        {
            FederatedEntry.Published => JsonSerializer.Deserialize<ResourcePublished>(e.Payload, EntryFact.Json) is { } p
                ? Take(p, out classification, out security) : null,
            FederatedEntry.Revised => JsonSerializer.Deserialize<ResourceRevised>(e.Payload, EntryFact.Json) is { } r ? (r.OriginNode, r.ResourceId, r.RecordVersion) : null,
            FederatedEntry.Withdrawn => JsonSerializer.Deserialize<ResourceWithdrawn>(e.Payload, EntryFact.Json) is { } w ? (w.OriginNode, w.ResourceId, w.RecordVersion) : null,
            _ => JsonSerializer.Deserialize<UnsharedEntry>(e.Payload, EntryFact.Json) is { } u ? (u.OriginNode, u.ResourceId, u.RecordVersion) : null,
        };
        if (said is not { } s) return (null, "the payload is empty");
        if (s.Origin != e.OriginNode || s.Id != e.ResourceId || s.Version != e.RecordVersion)
            return (null, $"the payload is entry {s.Origin}/{s.Id} v{s.Version}, the envelope says {e.OriginNode}/{e.ResourceId} v{e.RecordVersion}");
        return (new EntryFact(e.Kind, e.OriginNode, e.ResourceId, e.RecordVersion, e.Payload, e.OriginSignature, e.PatientPseudonym, e.Path, e.Share,
            classification, security, e.SentAt, e.Sender), null);
    }

    private static (string, Guid, int) Take(ResourcePublished p, out string? classification, out string? security)
    {
        classification = p.ClassificationCode;
        security = p.SecurityClassification;
        return (p.OriginNode, p.ResourceId, p.RecordVersion);
    }
}
