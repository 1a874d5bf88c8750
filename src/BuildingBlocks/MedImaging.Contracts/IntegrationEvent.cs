namespace MedImaging.Contracts;

/// <summary>
/// A fact one service tells the others, published through the sender's transactional outbox. Types here are on the
/// wire: MassTransit routes on their full names, so a namespace or a name never changes once published; add fields,
/// never repurpose them.
/// </summary>
public abstract record IntegrationEvent
{
    /// <summary>The node (tier file nodeId) where the fact happened.</summary>
    public required string OriginNode { get; init; }

    public DateTimeOffset OccurredAt { get; init; } = DateTimeOffset.UtcNow;
}
