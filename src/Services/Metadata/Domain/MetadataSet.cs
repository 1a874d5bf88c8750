namespace MedImaging.Metadata.Domain;

/// <summary>
/// A named set of metadata elements (§4.8.5): the basic set of §4.7 plus extensions. Records are always written
/// against one <see cref="MetadataSetVersion"/> of a set.
/// </summary>
public sealed class MetadataSet
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Code { get; init; }
    public required string NameZh { get; set; }
    public required string NameEn { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public required string CreatedBy { get; init; }
    public List<MetadataSetVersion> Versions { get; init; } = [];
}
