namespace MedImaging.Metadata.Domain;

/// <summary>
/// A metadata record kept here only so schema versions can be checked and migrated against real data (ADR 0005):
/// keyed by resource identifier, with the set version it was written with and its values as JSON.
/// </summary>
public sealed class MetadataRecord
{
    public required string ResourceId { get; init; }
    public Guid SetVersionId { get; set; }
    public required string SetCode { get; init; }
    public int Version { get; set; }

    /// <summary>The values, as a JSON object keyed by element and entity ids.</summary>
    public required string Values { get; set; }

    public int Revision { get; set; } = 1;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
    public required string UpdatedBy { get; set; }
}
