namespace MedImaging.Registration.Domain;

/// <summary>
/// Which version of each metadata set new catalogue entries are written against. Registration learns it from the
/// Metadata service's <c>MetadataSetVersionActivated</c> events rather than reading Metadata's tables.
/// </summary>
public sealed class ActiveMetadataSet
{
    public required string SetCode { get; init; }
    public Guid MetadataSetId { get; set; }
    public int Version { get; set; }
    public Guid VersionId { get; set; }
    public DateTimeOffset ActivatedAt { get; set; }
    public required string ActivatedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
