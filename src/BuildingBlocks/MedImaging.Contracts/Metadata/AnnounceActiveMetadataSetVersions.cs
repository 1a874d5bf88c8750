namespace MedImaging.Contracts.Metadata;

/// <summary>
/// Asks the Metadata service to publish <see cref="MetadataSetVersionActivated"/> again for every version active now. A
/// service sends it at start, so that it learns versions activated (or seeded) while its queue did not exist yet: a
/// fanout exchange keeps nothing for a queue bound later. Consumers of the answer are idempotent on the version.
/// </summary>
public sealed record AnnounceActiveMetadataSetVersions
{
    /// <summary>The node (tier file nodeId) of the asking service.</summary>
    public required string OriginNode { get; init; }

    /// <summary>The service that asks (for the Metadata service's log).</summary>
    public required string RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; } = DateTimeOffset.UtcNow;
}
