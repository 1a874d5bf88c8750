using System.Globalization;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedImaging.Directory.Apis;

/// <summary>
/// The catalogue search as JSON (the portal's and scripts' binding of the discovery search, §4.10): free text in
/// Chinese or English, element filters, facets, sorting and cursor paging. Anonymous callers see public entries only.
/// </summary>
public static class SearchApi
{
    public sealed record Hit(string OriginNode, Guid ResourceId, string? ResourceIdentifier, string Title, string Kind, string? SecurityClassification,
        string? Institution, string? InstitutionName, string? ClassificationCode, IReadOnlyList<string> Modalities, IReadOnlyList<string> BodyParts,
        DateOnly? StudyDate, DateTimeOffset PublishedAt, double Score, string? Abstract);

    public sealed record Answer(long Total, IReadOnlyList<Hit> Items, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets, string? NextCursor,
        IReadOnlyList<MatchedConcept> Concepts);

    // Long abstracts are cut in hit lists; the record fetch has them whole.
    private const int AbstractInHits = 300;

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/search", Search).WithTags("Search").WithName("SearchCatalogue")
            .WithSummary("Search the published catalogue: q (Chinese/English), filters, facets, sort, cursor paging; mode=distributed asks the child nodes too")
            .Produces<Answer>()
            .RequireAuthorization(Policies.Discover);
        return app;
    }

    public static async Task<IResult> Search(HttpContext http, ICatalogSearch search, ICatalogUsage usage, CancellationToken ct)
    {
        var (query, page) = SearchParameters.Parse(http.Request.Query);
        if (Federation.DistributedSearchEndpoint.IsDistributed(http)) return await Federation.DistributedSearchEndpoint.SearchAsync(http, query, page, ct);
        var caller = http.User.Scope();
        CatalogHits hits;
        try
        {
            hits = await search.SearchAsync(query, caller, page, ct);
        }
        catch (ArgumentException ex) when (ex.ParamName == "cursor")
        {
            throw new ValidationProblemException("cursor", ex.Message);
        }
        await usage.RecordAsync(UsageKind.SearchHit, [.. hits.Items.Select(h => new EntryKey(h.Entry.OriginNode, h.Entry.ResourceId))], caller, ct);
        return TypedResults.Ok(new Answer(hits.Total, [.. hits.Items.Select(ToHit)], hits.Facets, hits.NextCursor, hits.Concepts));
    }

    public static Hit ToHit(CatalogHit h)
    {
        ArgumentNullException.ThrowIfNull(h);
        var e = h.Entry;
        var summary = e.Abstract is { Length: > AbstractInHits } a ? string.Concat(a.AsSpan(0, AbstractInHits), "…") : e.Abstract;
        return new Hit(e.OriginNode, e.ResourceId, e.ResourceIdentifier, e.Title, e.Kind, e.SecurityClassification, e.Institution, e.InstitutionName,
            e.ClassificationCode, e.Modalities, e.BodyParts, e.StudyDate, e.PublishedAt, Math.Round(h.Score, 4, MidpointRounding.AwayFromZero), summary);
    }
}

/// <summary>The query string of <c>GET /search</c> as a <see cref="CatalogQuery"/>; a bad value is a 400 naming its parameter.</summary>
public static class SearchParameters
{
    public static (CatalogQuery Query, CatalogPage Page) Parse(IQueryCollection q)
    {
        ArgumentNullException.ThrowIfNull(q);
        var facets = List(q, "facets");
        if (facets.FirstOrDefault(f => !CatalogFacets.All.Contains(f)) is { } unknown)
            throw new ValidationProblemException("facets", $"Unknown facet '{unknown}'; known: {string.Join(", ", CatalogFacets.All)}.");
        var query = new CatalogQuery
        {
            Text = q["q"].ToString() is { Length: > 0 } text ? text : null,
            ExpandConcepts = Bool(q, "concepts") ?? true,
            Classifications = List(q, "classification"), Modalities = List(q, "modality"), BodyParts = List(q, "bodyPart"),
            Institutions = List(q, "institution"), Nodes = List(q, "node"), SecurityClassifications = List(q, "securityClassification"),
            Kinds = List(q, "kind"),
            StudyDateFrom = Date(q, "studyDateFrom"), StudyDateTo = Date(q, "studyDateTo"),
            PublishedFrom = Instant(q, "publishedFrom"), PublishedTo = Instant(q, "publishedTo"),
            Facets = facets,
        };
        var sort = q["sort"].ToString() switch
        {
            "" or "relevance" => CatalogSort.Relevance,
            "date" => CatalogSort.Date,
            "title" => CatalogSort.Title,
            var other => throw new ValidationProblemException("sort", $"'{other}' is not a sort; use relevance, date or title."),
        };
        var descending = q["order"].ToString() switch
        {
            "" => sort != CatalogSort.Title,
            "desc" => true,
            "asc" => false,
            var other => throw new ValidationProblemException("order", $"'{other}' is not an order; use asc or desc."),
        };
        var limit = 20;
        if (q["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > CatalogPage.MaxLimit))
            throw new ValidationProblemException("limit", $"limit must be a whole number from 1 to {CatalogPage.MaxLimit}.");
        return (query with { Sort = sort, Descending = descending }, new CatalogPage(limit, q["cursor"].ToString() is { Length: > 0 } c ? c : null));
    }

    private static string[] List(IQueryCollection q, string name) =>
        [.. q[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    private static bool? Bool(IQueryCollection q, string name) => q[name].ToString() switch
    {
        "" => null,
        "true" => true,
        "false" => false,
        var other => throw new ValidationProblemException(name, $"'{other}' is not true or false."),
    };

    private static DateOnly? Date(IQueryCollection q, string name) => q[name].ToString() switch
    {
        "" => null,
        var s when DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
        var s => throw new ValidationProblemException(name, $"'{s}' is not a date (yyyy-MM-dd)."),
    };

    private static DateTimeOffset? Instant(IQueryCollection q, string name) => q[name].ToString() switch
    {
        "" => null,
        var s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
        var s => throw new ValidationProblemException(name, $"'{s}' is not a date-time (ISO 8601)."),
    };
}
