namespace MedImaging.Contracts.Registration;

/// <summary>
/// A reviewed entry was published into the directory (§4.5.1 e, §4.8.6 b). Carries what the directory read model
/// shows: the basic metadata values and the study-level extension values. No patient identity, only its keyed pseudonym.
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
}
