namespace MedImaging.Metadata.Domain;

/// <summary>
/// Classifies a study from its DICOM attributes through the scheme's mapping rules: Modality gives the 类目,
/// BodyPartExamined the 亚目, a StudyDescription keyword the 细目. It stops at the deepest level whose node exists and is
/// not withdrawn, so an unmapped body part still yields the category.
/// </summary>
public static class DicomClassifier
{
    public static (string? FullCode, IReadOnlyList<string> Matched) Classify(ClassificationScheme scheme, string? modality, string? bodyPart, string? description)
    {
        var matched = new List<string>();
        string? Match(string attribute, string? value, bool contains)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            var rule = scheme.DicomRules
                .Where(r => r.Attribute == attribute)
                .OrderByDescending(r => r.Value.Length) // the most specific keyword wins ("CTA" before "CT")
                .FirstOrDefault(r => contains ? value.Contains(r.Value, StringComparison.OrdinalIgnoreCase) : string.Equals(value.Trim(), r.Value, StringComparison.OrdinalIgnoreCase));
            if (rule is null) return null;
            matched.Add($"{rule.Attribute}={rule.Value}→{rule.Code}");
            return rule.Code;
        }

        // Multi-valued Modality (ModalitiesInStudy) arrives as "CT\\PT": the first mapped value decides.
        var category = modality?.Split('\\').Select(m => Match(DicomClassificationRule.Modality, m, false)).FirstOrDefault(c => c is not null);
        if (category is null || scheme.Node(category) is not { Withdrawn: false }) return (null, matched);
        var full = category;
        var sub = Match(DicomClassificationRule.BodyPartExamined, bodyPart, false);
        if (sub is null || scheme.Node($"{full}.{sub}") is not { Withdrawn: false }) return (full, matched);
        full = $"{full}.{sub}";
        var detail = Match(DicomClassificationRule.StudyDescription, description, true);
        if (detail is not null && scheme.Node($"{full}.{detail}") is { Withdrawn: false }) full = $"{full}.{detail}";
        return (full, matched);
    }
}
