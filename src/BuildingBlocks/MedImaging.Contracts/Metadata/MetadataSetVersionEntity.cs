namespace MedImaging.Contracts.Metadata;

/// <summary>One entity (元数据实体, §2.7) of an activated set version: a group of elements, nested in a record.</summary>
public sealed record MetadataSetVersionEntity
{
    public required string EntityId { get; init; }
    public required string NameZh { get; init; }
    public required string NameEn { get; init; }

    /// <summary>Maximum occurrence; null = N (the record holds a list of the entity's objects).</summary>
    public int? MaxOccurs { get; init; } = 1;
}
