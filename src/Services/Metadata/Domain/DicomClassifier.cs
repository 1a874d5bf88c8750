namespace MedImaging.Metadata.Domain;

/// <summary>What the classifier reads of a study: its DICOM attributes as the catalogue keeps them.</summary>
/// <param name="Modality">Modalities of the study, backslash-separated ("CT\PT"), the first mapped one deciding the 类目.</param>
/// <param name="ContrastBolusAgent">Whether any instance carries Contrast/Bolus Agent (0018,0010); null when unknown.</param>
public sealed record DicomStudyFacts(string? Modality, string? BodyPartExamined, string? StudyDescription,
    IReadOnlyList<string>? SeriesDescriptions = null, bool? ContrastBolusAgent = null);

/// <summary>
/// Classifies a study from its DICOM attributes through the scheme's mapping rules: Modality gives the 类目,
/// BodyPartExamined the 亚目, and the 细目 comes from the first of these that a rule of the 类目 maps: a StudyDescription
/// keyword, a SeriesDescription keyword, Contrast/Bolus Agent present, a modality acquired in the study, Contrast/Bolus
/// Agent absent. It stops at the deepest level whose node exists and is not withdrawn, so an unmapped body part still
/// yields the category — and a 细目 is given only where the DICOM says which.
/// </summary>
public static class DicomClassifier
{
    public static (string? FullCode, IReadOnlyList<string> Matched) Classify(ClassificationScheme scheme, string? modality, string? bodyPart, string? description)
        => Classify(scheme, new DicomStudyFacts(modality, bodyPart, description));

    public static (string? FullCode, IReadOnlyList<string> Matched) Classify(ClassificationScheme scheme, DicomStudyFacts facts)
    {
        var matched = new List<string>();
        DicomClassificationRule? Exact(string attribute, string? value) => string.IsNullOrWhiteSpace(value) ? null
            : scheme.DicomRules.FirstOrDefault(r => r.Attribute == attribute && string.Equals(value.Trim(), r.Value, StringComparison.OrdinalIgnoreCase));

        // Multi-valued Modality (ModalitiesInStudy) arrives as "CT\\PT": the first mapped value decides.
        var modalities = facts.Modality?.Split('\\', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var categoryRule = modalities.Select(m => Exact(DicomClassificationRule.Modality, m)).FirstOrDefault(r => r is not null);
        if (categoryRule is null || scheme.Node(categoryRule.Code) is not { Withdrawn: false }) return (null, matched);
        matched.Add(categoryRule.Describe());
        var category = categoryRule.Code;
        var subRule = Exact(DicomClassificationRule.BodyPartExamined, facts.BodyPartExamined);
        if (subRule is null || scheme.Node($"{category}.{subRule.Code}") is not { Withdrawn: false }) return (category, matched);
        matched.Add(subRule.Describe());
        var full = $"{category}.{subRule.Code}";
        if (Detail(scheme, category, full, facts, modalities) is { } detail)
        {
            matched.Add(detail.Describe());
            full = $"{full}.{detail.Code}";
        }
        return (full, matched);
    }

    // The stages in order of what they say about the examination: words the modality wrote first, then the contrast
    // agent it recorded, then what kind of acquisition it was, and the absence of contrast last.
    private static DicomClassificationRule? Detail(ClassificationScheme scheme, string category, string subcategory, DicomStudyFacts facts, string[] modalities)
    {
        var rules = scheme.DicomRules.Where(r => r.Level == ClassificationLevel.Detail && (r.Category.Length == 0 || r.Category == category)
            && scheme.Node($"{subcategory}.{r.Code}") is { Withdrawn: false }).ToList();
        IEnumerable<DicomClassificationRule> Stage(string attribute, Func<DicomClassificationRule, bool> matches) => rules
            .Where(r => r.Attribute == attribute && matches(r))
            // A rule of this 类目 before one for every 类目; the most specific keyword ("CTA" before "CT") wins.
            .OrderByDescending(r => r.Category.Length > 0).ThenByDescending(r => r.Value.Length);
        bool Contains(string? text, string keyword) => text is not null && text.Contains(keyword, StringComparison.OrdinalIgnoreCase);
        var series = facts.SeriesDescriptions ?? [];
        return Stage(DicomClassificationRule.StudyDescription, r => Contains(facts.StudyDescription, r.Value))
            .Concat(Stage(DicomClassificationRule.SeriesDescription, r => series.Any(d => Contains(d, r.Value))))
            .Concat(Stage(DicomClassificationRule.ContrastBolusAgent, r => facts.ContrastBolusAgent == true && Is(r, DicomClassificationRule.Present)))
            .Concat(Stage(DicomClassificationRule.AcquisitionModality, r => modalities.Contains(r.Value, StringComparer.OrdinalIgnoreCase)))
            .Concat(Stage(DicomClassificationRule.ContrastBolusAgent, r => facts.ContrastBolusAgent == false && Is(r, DicomClassificationRule.Absent)))
            .FirstOrDefault();
    }

    private static bool Is(DicomClassificationRule rule, string value) => string.Equals(rule.Value, value, StringComparison.OrdinalIgnoreCase);
}
