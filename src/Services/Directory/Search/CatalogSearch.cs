using System.Globalization;
using System.Text;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Search;

/// <summary>
/// The catalogue query engine over the read model in PostgreSQL. Every query starts from <see cref="Visible"/>, so the
/// caller's clearance and scope bound hits, totals and facets alike.
/// </summary>
public sealed class CatalogSearch(DirectoryDbContext db, IQueryExpansion expansion) : ICatalogSearch
{
    public IQueryable<CatalogEntry> Visible(CallerScope caller) => db.CatalogEntries.AsNoTracking().VisibleTo(caller);

    public async Task<CatalogHits> SearchAsync(CatalogQuery query, CallerScope caller, CatalogPage page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var (matches, concepts) = Matching(query, caller);
        var total = await matches.LongCountAsync(ct);
        var offset = Cursor.Decode(page.After);
        var limit = Math.Clamp(page.Limit, 1, CatalogPage.MaxLimit);
        var items = await Ordered(matches, query).Skip(offset).Take(limit).ToListAsync(ct);
        var facets = new Dictionary<string, IReadOnlyList<FacetValue>>(StringComparer.Ordinal);
        foreach (var facet in query.Facets.Distinct(StringComparer.Ordinal)) facets[facet] = await FacetAsync(matches, facet, ct);
        var next = offset + items.Count < total ? Cursor.Encode(offset + items.Count) : null;
        return new CatalogHits(total, [.. items.Select(e => new CatalogHit(e, 0))], facets, next, concepts);
    }

    public async Task<IReadOnlyList<EntryKey>> KeysAsync(CatalogQuery query, CallerScope caller, int max, CancellationToken ct)
    {
        var (matches, _) = Matching(query, caller);
        var keys = await Ordered(matches, query).Take(max).Select(e => new { e.OriginNode, e.ResourceId }).ToListAsync(ct);
        return [.. keys.Select(k => new EntryKey(k.OriginNode, k.ResourceId))];
    }

    private (IQueryable<CatalogEntry> Matches, IReadOnlyList<MatchedConcept> Concepts) Matching(CatalogQuery q, CallerScope caller)
    {
        var e = Visible(caller);
        if (q.Classifications.Count > 0)
        {
            var codes = q.Classifications.ToArray();
            e = e.Where(x => codes.Contains(x.Category!) || codes.Contains(x.Subcategory!) || codes.Contains(x.ClassificationCode!));
        }
        if (q.Modalities.Count > 0) { var v = q.Modalities.ToArray(); e = e.Where(x => x.Modalities.Any(m => v.Contains(m))); }
        if (q.BodyParts.Count > 0) { var v = q.BodyParts.ToArray(); e = e.Where(x => x.BodyParts.Any(b => v.Contains(b))); }
        if (q.Institutions.Count > 0) { var v = q.Institutions.ToArray(); e = e.Where(x => v.Contains(x.Institution!)); }
        if (q.Nodes.Count > 0) { var v = q.Nodes.ToArray(); e = e.Where(x => v.Contains(x.OriginNode)); }
        if (q.SecurityClassifications.Count > 0) { var v = q.SecurityClassifications.ToArray(); e = e.Where(x => v.Contains(x.SecurityClassification!)); }
        if (q.Kinds.Count > 0) { var v = q.Kinds.ToArray(); e = e.Where(x => v.Contains(x.Kind)); }
        if (q.StudyInstanceUids.Count > 0) { var v = q.StudyInstanceUids.ToArray(); e = e.Where(x => v.Contains(x.StudyInstanceUid!)); }
        if (q.StudyDateFrom is { } sf) e = e.Where(x => x.StudyDate >= sf);
        if (q.StudyDateTo is { } st) e = e.Where(x => x.StudyDate <= st);
        if (q.PublishedFrom is { } pf) e = e.Where(x => x.PublishedAt >= pf);
        if (q.PublishedTo is { } pt) e = e.Where(x => x.PublishedAt <= pt);
        if (q.Where is { } where) e = e.Where(where);
        IReadOnlyList<MatchedConcept> concepts = [];
        if (!string.IsNullOrWhiteSpace(q.Text))
        {
            var expanded = expansion.Expand(q.Text, q.ExpandConcepts);
            concepts = expanded.Concepts;
            foreach (var group in expanded.Groups)
            {
                var patterns = group.Select(t => $"%{t.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)}%").ToArray();
                e = e.Where(x => patterns.Any(p => EF.Functions.ILike(x.Title, p) || EF.Functions.ILike(x.Abstract ?? "", p)
                    || EF.Functions.ILike(x.StudyDescription ?? "", p) || EF.Functions.ILike(x.InstitutionName ?? "", p)
                    || x.Keywords.Any(k => EF.Functions.ILike(k, p))));
            }
        }
        return (e, concepts);
    }

    private static IOrderedQueryable<CatalogEntry> Ordered(IQueryable<CatalogEntry> e, CatalogQuery q) => (q.Sort, q.Descending) switch
    {
        (CatalogSort.Title, false) => e.OrderBy(x => x.Title).ThenBy(x => x.OriginNode).ThenBy(x => x.ResourceId),
        (CatalogSort.Title, true) => e.OrderByDescending(x => x.Title).ThenBy(x => x.OriginNode).ThenBy(x => x.ResourceId),
        (_, false) => e.OrderBy(x => x.PublishedAt).ThenBy(x => x.OriginNode).ThenBy(x => x.ResourceId),
        _ => e.OrderByDescending(x => x.PublishedAt).ThenBy(x => x.OriginNode).ThenBy(x => x.ResourceId),
    };

    private static async Task<IReadOnlyList<FacetValue>> FacetAsync(IQueryable<CatalogEntry> e, string facet, CancellationToken ct)
    {
        IQueryable<string?> values = facet switch
        {
            CatalogFacets.Category => e.Select(x => x.Category),
            CatalogFacets.Subcategory => e.Select(x => x.Subcategory),
            CatalogFacets.Classification => e.Select(x => x.ClassificationCode),
            CatalogFacets.Modality => e.SelectMany(x => x.Modalities).Select(m => (string?)m),
            CatalogFacets.BodyPart => e.SelectMany(x => x.BodyParts).Select(b => (string?)b),
            CatalogFacets.Institution => e.Select(x => x.Institution),
            CatalogFacets.Node => e.Select(x => (string?)x.OriginNode),
            CatalogFacets.SecurityClassification => e.Select(x => x.SecurityClassification),
            CatalogFacets.Kind => e.Select(x => (string?)x.Kind),
            CatalogFacets.Year => e.Where(x => x.StudyDate != null).Select(x => (string?)(x.StudyDate!.Value.Year + "")),
            _ => throw new ArgumentException($"Unknown facet '{facet}'; known: {string.Join(", ", CatalogFacets.All)}.", nameof(facet)),
        };
        var counts = await values.Where(v => v != null).GroupBy(v => v).Select(g => new { g.Key, Count = g.LongCount() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key).ToListAsync(ct);
        return [.. counts.Select(c => new FacetValue(c.Key!, c.Count))];
    }

    /// <summary>The position after the page, opaque to callers.</summary>
    private static class Cursor
    {
        public static string Encode(int offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));

        public static int Decode(string? cursor)
        {
            if (string.IsNullOrEmpty(cursor)) return 0;
            try
            {
                return int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(cursor)), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new ArgumentException("The cursor is not one this directory issued.", nameof(cursor));
            }
        }
    }
}
