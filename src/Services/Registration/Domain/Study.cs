namespace MedImaging.Registration.Domain;

/// <summary>
/// A patient study as the catalogue knows it: de-identified aggregates of the instances received so far. The patient
/// is known only by a keyed pseudonym; identity lives in the <see cref="PhiRecord"/> vault (§3.3.1).
/// </summary>
public sealed class Study
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string StudyInstanceUid { get; init; }
    public string? PatientPseudonym { get; set; }
    public string? AccessionPseudonym { get; set; }
    public DateOnly? StudyDate { get; set; }
    public string? StudyDescription { get; set; }
    public List<string> Modalities { get; set; } = [];
    public List<string> BodyParts { get; set; } = [];
    public int SeriesCount { get; set; }
    public int InstanceCount { get; set; }
    public long TotalSizeBytes { get; set; }
    public string? OnlineResourceLink { get; set; }

    /// <summary>
    /// The registry code (tier file <c>institutions</c>) of the institution whose InstitutionName the instances carry;
    /// the name itself goes to the PHI vault (ADR 0007).
    /// </summary>
    public string? InstitutionCode { get; set; }

    public required string SourceAdapter { get; set; }
    public DateTimeOffset FirstReceivedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset LastUpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

public sealed class Series
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid StudyId { get; init; }
    public required string SeriesInstanceUid { get; init; }
    public string? Modality { get; set; }
    public string? BodyPartExamined { get; set; }
    public string? SeriesDescription { get; set; }
    public int? SeriesNumber { get; set; }
    public int InstanceCount { get; set; }
    public long TotalSizeBytes { get; set; }
}
