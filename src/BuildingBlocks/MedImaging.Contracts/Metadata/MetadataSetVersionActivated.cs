namespace MedImaging.Contracts.Metadata;

/// <summary>
/// A metadata set version became the active one for new records (§4.8.5): services that validate or display
/// records against the schema switch to it.
/// </summary>
public sealed record MetadataSetVersionActivated : IntegrationEvent
{
    public required Guid MetadataSetId { get; init; }
    public required string SetCode { get; init; }
    public required int Version { get; init; }
    public required Guid VersionId { get; init; }

    /// <summary>The version it replaces as active, if any (now deprecated).</summary>
    public int? PreviousVersion { get; init; }

    public required string ActivatedBy { get; init; }

    /// <summary>The set's names (中文名称 / English), for services that describe the set to people (the directory's self-description).</summary>
    public string? SetNameZh { get; init; }
    public string? SetNameEn { get; init; }

    /// <summary>
    /// The version's elements in the set's order (§4.6 attributes a consumer needs to name, type and lay out values);
    /// empty from a publisher that predates this field.
    /// </summary>
    public IReadOnlyList<MetadataSetVersionElement> Elements { get; init; } = [];

    /// <summary>The version's entities (元数据实体) that group elements.</summary>
    public IReadOnlyList<MetadataSetVersionEntity> Entities { get; init; } = [];
}
