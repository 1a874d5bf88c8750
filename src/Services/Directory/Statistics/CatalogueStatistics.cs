using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Statistics;

public sealed record StatisticsValue(string Value, string? Label, long Count);

/// <summary>
/// 主题统计 (§4.8.3, §4.8.6 f): counts of the published entries the caller may see, by one dimension. Every count comes
/// from <see cref="ICatalogSearch"/> in the caller's scope (its facets, or its visible set for the month), so no value
/// or count above the caller's clearance or outside its institution can appear.
/// </summary>
public sealed class CatalogueStatistics(ICatalogSearch search)
{
    public const string Month = "month";

    /// <summary>The dimensions: the search's facets, and the month of publication.</summary>
    public static readonly IReadOnlyList<string> Dimensions = [.. CatalogFacets.All, Month];

    public async Task<(long Entries, IReadOnlyList<StatisticsValue> Values)> CountAsync(string by, CallerScope caller, CancellationToken ct)
    {
        var visible = search.Visible(caller);
        if (by == Month)
        {
            var months = await visible.GroupBy(e => new { e.PublishedAt.UtcDateTime.Year, e.PublishedAt.UtcDateTime.Month })
                .Select(g => new { g.Key.Year, g.Key.Month, Count = g.LongCount() }).ToListAsync(ct);
            return (months.Sum(m => m.Count), [.. months.OrderBy(m => m.Year).ThenBy(m => m.Month).Select(m => new StatisticsValue($"{m.Year:0000}-{m.Month:00}", null, m.Count))]);
        }
        var hits = await search.SearchAsync(new CatalogQuery { ExpandConcepts = false, Facets = [by], Sort = CatalogSort.Date }, caller, new CatalogPage(1), ct);
        var facet = hits.Facets.TryGetValue(by, out var values) ? values : [];
        IReadOnlyDictionary<string, string?> labels = by == CatalogFacets.Institution ? await InstitutionNamesAsync(visible, facet, ct) : new Dictionary<string, string?>();
        return (hits.Total, [.. facet.Select(v => new StatisticsValue(v.Value, labels.GetValueOrDefault(v.Value), v.Count))]);
    }

    // The names as the visible entries catalogue them (the read model has no institution registry of its own).
    private static async Task<IReadOnlyDictionary<string, string?>> InstitutionNamesAsync(IQueryable<Domain.CatalogEntry> visible, IReadOnlyList<FacetValue> facet, CancellationToken ct)
    {
        var codes = facet.Select(f => f.Value).ToArray();
        var names = await visible.Where(e => e.InstitutionName != null && codes.Contains(e.Institution!))
            .GroupBy(e => e.Institution!).Select(g => new { Code = g.Key, Name = g.Min(e => e.InstitutionName) }).ToListAsync(ct);
        return names.ToDictionary(n => n.Code, n => n.Name, StringComparer.Ordinal);
    }
}
