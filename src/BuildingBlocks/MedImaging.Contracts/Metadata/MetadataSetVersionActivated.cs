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
}
