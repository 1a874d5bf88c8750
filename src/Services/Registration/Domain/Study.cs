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

    /// <summary>
    /// Whether an instance carries a Contrast/Bolus Agent (0018,0010) with a value (PS3.3: the module is there when contrast
    /// was used); what the 细目 (平扫/增强) is derived from. Null for studies stored before it was recorded.
    /// </summary>
    public bool? ContrastBolusAgent { get; set; }

    /// <summary>
    /// InstitutionName (0008,0080) as sent when it names no institution of the node's registry: the 负责方 then comes from
    /// the adapter, and the cataloguer must see that the study says otherwise. A hospital's name is not patient data.
    /// </summary>
    public string? UnmatchedInstitutionName { get; set; }

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
