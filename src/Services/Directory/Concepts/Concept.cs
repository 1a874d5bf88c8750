namespace MedImaging.Directory.Concepts;

/// <summary>
/// One concept of the dictionary (§3.3.3.2): a RadLex-style id, labels and synonyms in Chinese and English, and its
/// broader concepts. Narrower links are the inverse of broader ones and are not stored. The file's shape is shared with
/// other parts (the data generator draws words from it), so fields are only ever added, never renamed.
/// </summary>
public sealed record Concept
{
    public string Id { get; init; } = "";
    public string Kind { get; init; } = "";
    public string LabelZh { get; init; } = "";
    public string LabelEn { get; init; } = "";
    public IReadOnlyList<string> SynonymsZh { get; init; } = [];
    public IReadOnlyList<string> SynonymsEn { get; init; } = [];
    public IReadOnlyList<string> Broader { get; init; } = [];

    /// <summary>Labels first, then synonyms: the order terms are offered in when a group must be cut short.</summary>
    public IEnumerable<string> Terms => [LabelZh, LabelEn, .. SynonymsZh, .. SynonymsEn];

    public IEnumerable<string> ChineseTerms => [LabelZh, .. SynonymsZh];
}

/// <summary>The kinds a concept may be.</summary>
public static class ConceptKinds
{
    public const string Modality = "modality";
    public const string Anatomy = "anatomy";
    public const string Finding = "finding";
    public const string Procedure = "procedure";
    public const string Other = "other";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Modality, Anatomy, Finding, Procedure, Other };
}

/// <summary>The dictionary file: <c>{"version": …, "source": …, "concepts": [ … ]}</c>.</summary>
public sealed record ConceptFile
{
    public string? Version { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<Concept>? Concepts { get; init; }
}
