using System.Text.Json;

namespace MedImaging.Exchange.Audit.Query;

/// <summary>
/// One row of the trail as the API and the JSON lines export give it: every column of <see cref="AuditRecord"/>, the
/// details as a JSON object and both hashes in lower-case hex, so that a verifier can recompute the chain from it.
/// </summary>
public sealed record AuditRecordView
{
    public long Sequence { get; init; }
    public Guid EventId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public required string Node { get; init; }
    public required string Service { get; init; }
    public required string ActorId { get; init; }
    public string? ActorName { get; init; }
    public IReadOnlyList<string> ActorRoles { get; init; } = [];
    public string? ClientId { get; init; }
    public string? ActorNode { get; init; }
    public string? ActorInstitution { get; init; }
    public string? ActorClearance { get; init; }
    public required string Action { get; init; }
    public string? ResourceKind { get; init; }
    public string? ResourceId { get; init; }
    public string? ResourceIdentifier { get; init; }
    public string? ResourceClassification { get; init; }
    public string? ResourceInstitution { get; init; }
    public required string Outcome { get; init; }
    public string? OutcomeReason { get; init; }
    public string? SourceAddress { get; init; }
    public string? UserAgent { get; init; }
    public string? CorrelationId { get; init; }
    public JsonElement Details { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }

    public static AuditRecordView From(AuditRecord r)
    {
        using var details = JsonDocument.Parse(string.IsNullOrEmpty(r.Details) ? "{}" : r.Details);
        return new AuditRecordView
        {
            Sequence = r.Sequence,
            EventId = r.EventId,
            OccurredAt = r.OccurredAt,
            RecordedAt = r.RecordedAt,
            Node = r.Node,
            Service = r.Service,
            ActorId = r.ActorId,
            ActorName = r.ActorName,
            ActorRoles = r.ActorRoles,
            ClientId = r.ClientId,
            ActorNode = r.ActorNode,
            ActorInstitution = r.ActorInstitution,
            ActorClearance = r.ActorClearance,
            Action = r.Action,
            ResourceKind = r.ResourceKind,
            ResourceId = r.ResourceId,
            ResourceIdentifier = r.ResourceIdentifier,
            ResourceClassification = r.ResourceClassification,
            ResourceInstitution = r.ResourceInstitution,
            Outcome = r.Outcome,
            OutcomeReason = r.OutcomeReason,
            SourceAddress = r.SourceAddress,
            UserAgent = r.UserAgent,
            CorrelationId = r.CorrelationId,
            Details = details.RootElement.Clone(),
            PreviousHash = Convert.ToHexStringLower(r.PreviousHash),
            Hash = Convert.ToHexStringLower(r.Hash),
        };
    }
}
