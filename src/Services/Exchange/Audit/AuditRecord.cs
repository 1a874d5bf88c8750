namespace MedImaging.Exchange.Audit;

/// <summary>
/// One row of the node's audit trail (审计管理, §4.4.1): an <see cref="Contracts.Audit.AuditEventRecorded"/> as appended,
/// with its place in the hash chain. Rows are never updated or deleted (the runtime database role lacks the privileges
/// and a trigger refuses); <see cref="Hash"/> is the SHA-256 of the row's canonical form including
/// <see cref="PreviousHash"/>, so changing, removing or reordering any row breaks every hash after it (ADR 0020).
/// </summary>
public sealed class AuditRecord
{
    /// <summary>Gap-free position in the chain, from 1.</summary>
    public long Sequence { get; init; }

    /// <summary>The event's id: each is appended once, however often it is delivered.</summary>
    public Guid EventId { get; init; }

    /// <summary>When the trail appended it (the event's own time is <see cref="OccurredAt"/>).</summary>
    public DateTimeOffset RecordedAt { get; init; }
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The node where the action happened and the host that saw it.</summary>
    public required string Node { get; init; }
    public required string Service { get; init; }

    public required string ActorId { get; init; }
    public string? ActorName { get; init; }
    public List<string> ActorRoles { get; init; } = [];
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

    /// <summary>success, denied or failed.</summary>
    public required string Outcome { get; init; }
    public string? OutcomeReason { get; init; }

    public string? SourceAddress { get; init; }
    public string? UserAgent { get; init; }
    public string? CorrelationId { get; init; }

    /// <summary>The event's details, as a JSON object of strings.</summary>
    public string Details { get; init; } = "{}";

    /// <summary>SHA-256 of the previous row's canonical form (32 zero bytes for the first row).</summary>
    public required byte[] PreviousHash { get; init; }

    /// <summary>SHA-256 of this row's canonical form (which includes <see cref="PreviousHash"/> and <see cref="Sequence"/>).</summary>
    public required byte[] Hash { get; init; }
}
