namespace MedImaging.Contracts.Registration;

/// <summary>
/// A reviewed entry was published into the directory (§4.5.1 e, §4.8.6 b). Carries what the directory read model
/// shows: the basic metadata values and the study-level extension values. No patient identity, only its keyed pseudonym.
/// Idempotent on (<see cref="IntegrationEvent.OriginNode"/>, <see cref="ResourceId"/>, <see cref="RecordVersion"/>), so
/// that the same fact replicated by Exchange from another node applies unchanged.
/// </summary>
public sealed record ResourcePublished : IntegrationEvent
{
    public required Guid ResourceId { get; init; }
    public required int RecordVersion { get; init; }
    public required string Actor { get; init; }
    public required string Title { get; init; }

    /// <summary>资源标识符 (§4.7.2.1).</summary>
    public string? ResourceIdentifier { get; init; }

    /// <summary>ImagingStudy, or Database, Document, Dataset, Other for resources catalogued by hand (§4.8.2 a).</summary>
    public string Kind { get; init; } = "ImagingStudy";

    /// <summary>安全限制分级 (§4.7.2.18): public, internal, restricted or confidential.</summary>
    public string? SecurityClassification { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public string? Abstract { get; init; }
    public required string Format { get; init; }
    public string? OnlineResourceLink { get; init; }
    public IReadOnlyList<string> Modalities { get; init; } = [];
    public IReadOnlyList<string> BodyParts { get; init; } = [];
    public DateOnly? StudyDate { get; init; }
    public int SeriesCount { get; init; }
    public int InstanceCount { get; init; }
    public long TotalSizeBytes { get; init; }
    public string? PatientPseudonym { get; init; }

    /// <summary>Every metadata value of the entry, keyed by the metadata sets' element ids.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>The 负责方's registry code (organizationCode, §4.7.2.12): institution-bound callers see their own.</summary>
    public string? Institution { get; init; }

    /// <summary>The 负责方's name (organizationName, §4.7.2.11), as catalogued: a hospital's name, not patient data.</summary>
    public string? InstitutionName { get; init; }

    /// <summary>
    /// The full code of the entry's 细目 (or of the deepest level it has) in the classification scheme, dotted one arc per
    /// level ("2.2.1" = CT / 胸部 / 平扫): 类目 and 亚目 are its prefixes.
    /// </summary>
    public string? ClassificationCode { get; init; }

    /// <summary>DICOM Study Instance UID of an imaging entry (the DICOMweb key); null for entries catalogued by hand.</summary>
    public string? StudyInstanceUid { get; init; }
    public string? StudyDescription { get; init; }

    /// <summary>The study's series as catalogued (QIDO-RS series level answers from it). No patient data.</summary>
    public IReadOnlyList<PublishedSeries> Series { get; init; } = [];

    /// <summary>
    /// For an entry replicated from another node (ADR 0032): the nodes it came through, origin first and the node that
    /// passed it here last. Empty at the origin.
    /// </summary>
    public IReadOnlyList<string> ReplicationPath { get; init; } = [];

    /// <summary>For a replicated entry: unconditional or conditional (its data only after the origin approves a request).</summary>
    public string? SharedAs { get; init; }
}

/// <summary>One series of a published study.</summary>
public sealed record PublishedSeries
{
    public required string SeriesInstanceUid { get; init; }
    public string? Modality { get; init; }
    public string? BodyPartExamined { get; init; }
    public string? SeriesDescription { get; init; }
    public int? SeriesNumber { get; init; }
    public int InstanceCount { get; init; }
}
