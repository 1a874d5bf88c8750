using V = MedImaging.Directory.Discovery.EntryValues;

namespace MedImaging.Directory.Discovery;

/// <summary>How much of each record a retrieval answers (as Z39.50 / CSW element set names B, S, F).</summary>
public enum ElementSet
{
    Brief,
    Summary,
    Full,
}

/// <summary>
/// What each element set holds: the JSON fields, and the metadata elements its XML record carries (the XML record of a
/// brief or summary retrieval is the export schema's record with only these elements, so it is not schema-valid; the
/// full one carries every value the entry's set defines and validates against that set version's XSD).
/// </summary>
public static class ElementSets
{
    public static readonly IReadOnlyList<string> BriefFields = ["originNode", "resourceId", "identifier", "title", "kind", "classification", "date"];

    public static readonly IReadOnlyList<string> SummaryFields =
        [.. BriefFields, "abstract", "keywords", "institution", "modalities", "bodyParts", "securityClassification", "onlineResourceLink", "format", "publishedAt"];

    public static readonly IReadOnlyList<string> FullFields = [.. SummaryFields, "metadataSet", "elements", "otherValues", "series"];

    public static readonly IReadOnlyList<string> BriefElements = [V.ResourceId, V.ResourceTitle, V.CategoryCode, V.CategoryName, V.StudyDate];

    public static readonly IReadOnlyList<string> SummaryElements =
        [.. BriefElements, V.Abstract, V.Keyword, V.OrganizationName, V.OrganizationCode, V.Modality, V.BodyPartExamined, V.SecurityClassification,
            V.OnlineResourceLink, V.DataFormat];

    public static string Name(ElementSet set) => set.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, ElementSet fallback, out ElementSet set)
    {
        set = fallback;
        if (value is null) return true;
        foreach (var candidate in Enum.GetValues<ElementSet>())
            if (string.Equals(Name(candidate), value, StringComparison.OrdinalIgnoreCase)) { set = candidate; return true; }
        return false;
    }

    /// <summary>Whether the element set's XML record carries the element (full carries all).</summary>
    public static bool Carries(ElementSet set, string elementId) => set switch
    {
        ElementSet.Brief => BriefElements.Contains(elementId),
        ElementSet.Summary => SummaryElements.Contains(elementId),
        _ => true,
    };

    public static IReadOnlyList<string> Fields(ElementSet set) => set switch
    {
        ElementSet.Brief => BriefFields,
        ElementSet.Summary => SummaryFields,
        _ => FullFields,
    };
}

/// <summary>The output formats of a retrieval.</summary>
public enum RecordFormat
{
    Json,
    Xml,
}
