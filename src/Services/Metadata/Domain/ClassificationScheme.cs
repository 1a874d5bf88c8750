namespace MedImaging.Metadata.Domain;

/// <summary>
/// 资源目录分类模型 (§4.9.2): a three-level scheme 类目 → 亚目 → 细目 whose codes compose resource identifiers (§2.13–2.15).
/// Editable; every edit raises <see cref="Revision"/> and is recorded with its provenance, so a consumer can tell which
/// revision a classification was made against.
/// </summary>
public sealed class ClassificationScheme
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Code { get; init; }
    public required string NameZh { get; set; }
    public required string NameEn { get; set; }
    public int Revision { get; private set; } = 1;
    public DateTimeOffset UpdatedAt { get; private set; } = DateTimeOffset.UtcNow;
    public string UpdatedBy { get; private set; } = "seed";
    public List<ClassificationNode> Nodes { get; init; } = [];
    public List<DicomClassificationRule> DicomRules { get; init; } = [];

    public void Touch(string by)
    {
        Revision++;
        UpdatedAt = DateTimeOffset.UtcNow;
        UpdatedBy = by;
    }

    public ClassificationNode? Node(string fullCode) => Nodes.FirstOrDefault(n => n.FullCode == fullCode);
}

/// <summary>The three levels of §4.9.2.</summary>
public enum ClassificationLevel
{
    /// <summary>类目 (§2.13): the business or data domain, first node under the provincial code.</summary>
    Category = 1,

    /// <summary>亚目 (§2.14): a part of the category's domain (here: body region).</summary>
    Subcategory = 2,

    /// <summary>细目 (§2.15): the detail (here: examination type), completed gradually as resources are registered.</summary>
    Detail = 3,
}

/// <summary>
/// One node of the scheme. <see cref="Code"/> is one OID arc (a number without leading zeros), so the node's
/// <see cref="FullCode"/> ("2.2.1") is also the 类目.亚目.细目 part of a resource identifier.
/// </summary>
public sealed class ClassificationNode
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid SchemeId { get; init; }
    public required string Code { get; init; }
    public required string FullCode { get; init; }
    public string? ParentCode { get; init; }
    public ClassificationLevel Level { get; init; }
    public required string NameZh { get; set; }
    public required string NameEn { get; set; }

    /// <summary>A withdrawn node keeps explaining existing identifiers but takes no new ones; its code is never reused.</summary>
    public bool Withdrawn { get; set; }

    public static string LevelNameZh(ClassificationLevel level) => level switch
    {
        ClassificationLevel.Category => "类目",
        ClassificationLevel.Subcategory => "亚目",
        _ => "细目",
    };
}

/// <summary>
/// Maps a DICOM attribute value to a code at one level: Modality → 类目, BodyPartExamined → 亚目; the 细目 from a keyword
/// of StudyDescription or of a SeriesDescription, from a modality acquired in the study (AcquisitionModality: DX is
/// radiography, XA angiography, CT in a PET study PET-CT), or from the presence of Contrast/Bolus Agent (0018,0010)
/// ("present"/"absent"; PS3.3 requires the Contrast/Bolus module whenever contrast was used). 细目 codes mean different
/// things under different 类目 (2.x.1 平扫, 1.x.1 X线摄影), so a 细目 rule names the 类目 it holds for (<see cref="Category"/>;
/// empty: every 类目). Matching is case-insensitive; description rules match a contained keyword.
/// </summary>
public sealed class DicomClassificationRule
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid SchemeId { get; init; }
    public required string Attribute { get; set; }
    public required string Value { get; set; }
    public ClassificationLevel Level { get; set; }
    public required string Code { get; set; }

    /// <summary>The 类目 a 细目 rule holds for; empty for any 类目 (and for 类目/亚目 rules).</summary>
    public string Category { get; set; } = "";

    public const string Modality = "Modality";
    public const string BodyPartExamined = "BodyPartExamined";
    public const string StudyDescription = "StudyDescription";
    public const string SeriesDescription = "SeriesDescription";
    public const string AcquisitionModality = "AcquisitionModality";
    public const string ContrastBolusAgent = "ContrastBolusAgent";
    public const string Present = "present";
    public const string Absent = "absent";

    public static readonly IReadOnlyList<string> Attributes =
        [Modality, BodyPartExamined, StudyDescription, SeriesDescription, AcquisitionModality, ContrastBolusAgent];

    public static ClassificationLevel LevelOf(string attribute) => attribute switch
    {
        Modality => ClassificationLevel.Category,
        BodyPartExamined => ClassificationLevel.Subcategory,
        _ => ClassificationLevel.Detail,
    };

    public string Describe() => $"{Attribute}={Value}→{Code}" + (Category.Length > 0 ? $" (类目 {Category})" : "");
}
