namespace MedImaging.Contracts.Registration;

/// <summary>
/// Instances of an imaging study were stored (new, or new versions) by ingest from a PACS adapter (§4.8.2 b): one event
/// per study per commit, not per instance, staged in the same transaction as the instances. For whoever acts on new
/// images — analysis jobs (Inference), acquisition monitoring — before anyone has catalogued the study. Carries no
/// patient identity: the pseudonym only.
/// </summary>
public sealed record StudyInstancesStored : IntegrationEvent
{
    /// <summary>Registration's id of the study, stable across versions.</summary>
    public required Guid StudyId { get; init; }

    /// <summary>The study's catalogue entry (created with the study, state prepared until catalogued).</summary>
    public required Guid ResourceId { get; init; }

    public required string StudyInstanceUid { get; init; }

    /// <summary>Instances this commit stored for the first time.</summary>
    public required int Stored { get; init; }

    /// <summary>Instances this commit stored as a new version of one already held.</summary>
    public required int NewVersions { get; init; }

    /// <summary>The study's totals after the commit.</summary>
    public required int SeriesCount { get; init; }

    public required int InstanceCount { get; init; }
    public required long TotalSizeBytes { get; init; }
    public required IReadOnlyList<string> Modalities { get; init; }
    public required IReadOnlyList<string> BodyParts { get; init; }
    public DateOnly? StudyDate { get; init; }
    public string? PatientPseudonym { get; init; }

    /// <summary>Where the study can be retrieved from (the source PACS, §4.7.2.19).</summary>
    public string? OnlineResourceLink { get; init; }

    /// <summary>The adapters (OAuth clients) and acquisition batches whose instances this commit stored.</summary>
    public required IReadOnlyList<string> Adapters { get; init; }

    public required IReadOnlyList<Guid> BatchIds { get; init; }
}
