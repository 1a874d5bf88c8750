using V = MedImaging.Directory.Discovery.EntryValues;

namespace MedImaging.Directory.Discovery;

/// <summary>
/// Which metadata elements a search reaches, as the self-description states it: the elements a <c>CatalogQuery</c>
/// filter matches on (by the search body's field name), and the elements the free text is matched in. Kept beside the
/// engine's own list (CatalogSearch matches text in title, abstract, keywords, study description and institution name).
/// </summary>
public static class QueryableElements
{
    public static readonly IReadOnlyDictionary<string, string> Filters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [V.CategoryCode] = "classifications",
        [V.Modality] = "modalities",
        [V.BodyPartExamined] = "bodyParts",
        [V.OrganizationCode] = "institutions",
        [V.SecurityClassification] = "securityClassifications",
        [V.StudyInstanceUid] = "studyInstanceUids",
        [V.StudyDate] = "studyDateFrom, studyDateTo",
    };

    public static readonly IReadOnlyList<string> FreeText = [V.ResourceTitle, V.Abstract, V.Keyword, V.StudyDescription, V.OrganizationName];

    /// <summary>The search body's fields, each with the elements it matches (none for the directory's own facts) and how.</summary>
    public static readonly IReadOnlyList<(string Field, string[] Elements, string Matching)> SearchFields =
    [
        ("text", [.. FreeText], "free text, Chinese, English or mixed; every word must match in one of the elements (expanded through the concept dictionary unless expandConcepts is false)"),
        ("expandConcepts", [], "true (default) or false"),
        ("classifications", [V.CategoryCode], "类目, 亚目 or 细目 code; an entry matches at or below the code"),
        ("modalities", [V.Modality], "any of the values"),
        ("bodyParts", [V.BodyPartExamined], "any of the values"),
        ("institutions", [V.OrganizationCode], "any of the registry codes"),
        ("securityClassifications", [V.SecurityClassification], "any of the levels (within the caller's clearance)"),
        ("studyInstanceUids", [V.StudyInstanceUid], "any of the UIDs"),
        ("studyDateFrom", [V.StudyDate], "yyyy-MM-dd, inclusive"),
        ("studyDateTo", [V.StudyDate], "yyyy-MM-dd, inclusive"),
        ("nodes", [], "origin node (tier file nodeId) of the entry"),
        ("kinds", [], string.Join(", ", SearchRequest.KnownKinds)),
        ("publishedFrom", [], "date-time of publication, inclusive"),
        ("publishedTo", [], "date-time of publication, inclusive"),
        ("sort", [], "relevance (default), date, title"),
        ("order", [], "asc or desc (date and relevance descend, title ascends by default)"),
    ];
}
