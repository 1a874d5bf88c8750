using System.Linq.Expressions;
using MedImaging.Directory.Domain;

namespace MedImaging.Directory.Search;

/// <summary>
/// One search of the catalogue, whichever binding asked (the JSON API, a <c>DirectorySession</c>, CSW, QIDO-RS, DCAT):
/// free text and element filters, combined with AND; the values of one filter combine with OR. The caller's clearance
/// and scope are not part of the query: <see cref="ICatalogSearch"/> applies them to every query it runs.
/// </summary>
public sealed record CatalogQuery
{
    /// <summary>Free text, Chinese, English or mixed; a 2-character Chinese term matches inside unsegmented text.</summary>
    public string? Text { get; init; }

    /// <summary>Expand the text through the concept dictionary (§3.3.3.2): 肺结节 also finds "pulmonary nodule", 胸部 finds 肺.</summary>
    public bool ExpandConcepts { get; init; } = true;

    /// <summary>Classification codes at any of the three levels ("2" 类目, "2.2" 亚目, "2.2.1" 细目); an entry matches below the code.</summary>
    public IReadOnlyList<string> Classifications { get; init; } = [];
    public IReadOnlyList<string> Modalities { get; init; } = [];
    public IReadOnlyList<string> BodyParts { get; init; } = [];
    public IReadOnlyList<string> Institutions { get; init; } = [];

    /// <summary>Origin nodes (tier file nodeId).</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];
    public IReadOnlyList<string> SecurityClassifications { get; init; } = [];

    /// <summary>ImagingStudy, Database, Document, Dataset, Other.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [];
    public IReadOnlyList<string> StudyInstanceUids { get; init; } = [];
    public DateOnly? StudyDateFrom { get; init; }
    public DateOnly? StudyDateTo { get; init; }
    public DateTimeOffset? PublishedFrom { get; init; }
    public DateTimeOffset? PublishedTo { get; init; }

    /// <summary>
    /// A binding's own condition beyond the filters above (a CSW OGC Filter, a QIDO-RS wildcard), composed into the same
    /// SQL so that counts, facets and pages agree with it. Null for none.
    /// </summary>
    public Expression<Func<CatalogEntry, bool>>? Where { get; init; }

    public CatalogSort Sort { get; init; } = CatalogSort.Relevance;

    /// <summary>Newest / highest first when true (the default for date and relevance); title sorts ascending unless asked.</summary>
    public bool Descending { get; init; } = true;

    /// <summary>The facets to count (names in <see cref="CatalogFacets"/>); counts are exact and respect the caller's clearance.</summary>
    public IReadOnlyList<string> Facets { get; init; } = [];
}

public enum CatalogSort
{
    Relevance,
    Date,
    Title,
}

/// <summary>The facet names a query may ask for.</summary>
public static class CatalogFacets
{
    public const string Category = "category";
    public const string Subcategory = "subcategory";
    public const string Classification = "classification";
    public const string Modality = "modality";
    public const string BodyPart = "bodyPart";
    public const string Institution = "institution";
    public const string Node = "node";
    public const string SecurityClassification = "securityClassification";
    public const string Kind = "kind";
    public const string Year = "year";

    public static readonly IReadOnlyList<string> All = [Category, Subcategory, Classification, Modality, BodyPart, Institution, Node, SecurityClassification, Kind, Year];
}

/// <summary>
/// Which page: <paramref name="Limit"/> entries after <paramref name="After"/> (an opaque cursor from the previous page's
/// <see cref="CatalogHits.NextCursor"/>), so that page 10,000 costs what page 1 costs (no OFFSET cliff).
/// </summary>
public sealed record CatalogPage(int Limit = 20, string? After = null)
{
    public const int MaxLimit = 1000;
}

/// <summary>An entry's key: origin node and resource id.</summary>
public readonly record struct EntryKey(string OriginNode, Guid ResourceId);

public sealed record CatalogHit(CatalogEntry Entry, double Score);

public sealed record FacetValue(string Value, long Count);

/// <summary>
/// A page of hits. <see cref="Total"/> counts every visible match (exact); <see cref="Concepts"/> are the dictionary
/// concepts the text was expanded into (shown to the user as chips).
/// </summary>
public sealed record CatalogHits(
    long Total,
    IReadOnlyList<CatalogHit> Items,
    IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets,
    string? NextCursor,
    IReadOnlyList<MatchedConcept> Concepts);

/// <summary>A concept the free text was expanded into.</summary>
public sealed record MatchedConcept(string Id, string LabelZh, string LabelEn, string MatchedText, IReadOnlyList<string> Terms);
