namespace MedImaging.Directory.Domain;

/// <summary>
/// A metadata set version the directory has been told about. The directory keeps the whole history, because
/// published entries written against an older version stay searchable and must be displayed with their own schema.
/// </summary>
public sealed class SchemaVersion
{
    public Guid VersionId { get; init; }
    public required string SetCode { get; init; }
    public int Version { get; init; }
    public Guid MetadataSetId { get; init; }
    public DateTimeOffset ActivatedAt { get; init; }
    public required string OriginNode { get; init; }
    public DateTimeOffset RecordedAt { get; init; } = DateTimeOffset.UtcNow;
}
