using System.Diagnostics.Metrics;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// The catalogue's search engine (ADR 0030): the instance's Lucene index answers hits, exact totals, facets and keyset
/// pages; the entries themselves are then read from the read model through <see cref="ICatalogSearch.Visible"/>, so the
/// caller's clearance is applied twice. A query with a binding's own SQL condition (CSW filters, QIDO-RS wildcards), or
/// one that finds the index behind the read model for longer than <see cref="CatalogIndexOptions.FreshnessWait"/>, runs
/// in PostgreSQL instead (<see cref="CatalogSearch"/>), with the same semantics: a search never misses a committed entry.
/// </summary>
public sealed class IndexedCatalogSearch(
    CatalogSearch sql, CatalogIndex index, IQueryExpansion expansion, SearchCursorKey cursorKey, DirectoryDbContext db) : ICatalogSearch
{
    private static readonly Meter Meter = new("MedImaging.Directory.Search");
    private static readonly Counter<long> Engine = Meter.CreateCounter<long>("directory_search_engine", description: "Searches by the engine that answered them");

    public IQueryable<CatalogEntry> Visible(CallerScope caller) => sql.Visible(caller);

    public async Task<CatalogHits> SearchAsync(CatalogQuery query, CallerScope caller, CatalogPage page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        if (!await UsableAsync(query, ct)) return await sql.SearchAsync(query, caller, page, ct);
        FacetCounts.Validate(query.Facets);
        var (q, sort, concepts) = Plan(query, caller);
        var key = await cursorKey.GetAsync();
        var fingerprint = SearchCursorKey.Fingerprint(query);
        var after = page.After is { Length: > 0 } a ? SearchCursor.Decode(a, key, fingerprint, sort, query.Descending) : null;
        var limit = Math.Clamp(page.Limit, 1, CatalogPage.MaxLimit);
        var result = index.Search(s => IndexPage.Run(s, q, sort, query.Descending, after, limit + 1, query.Facets.Distinct(StringComparer.Ordinal).ToList()));
        var rows = result.Page.Take(limit).ToList();
        var entries = await EntriesAsync(caller, rows, ct);
        var hits = rows.Where(r => entries.ContainsKey(r.Key)).Select(r => new CatalogHit(entries[r.Key], Math.Round(r.Score, 6))).ToList();
        var next = result.Page.Count > limit && rows[^1] is var last
            ? new SearchCursor(sort, query.Descending, last.Score, last.PublishedAt, last.Title, last.Key).Encode(key, fingerprint)
            : null;
        return new CatalogHits(result.Total, hits, result.Facets, next, concepts);
    }

    public async Task<IReadOnlyList<EntryKey>> KeysAsync(CatalogQuery query, CallerScope caller, int max, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (max <= 0) return [];
        if (!await UsableAsync(query, ct)) return await sql.KeysAsync(query, caller, max, ct);
        var (q, sort, _) = Plan(query, caller);
        var result = index.Search(s => IndexPage.Run(s, q, sort, query.Descending, null, max, []));
        return [.. result.Page.Select(r => r.Key)];
    }

    // The index answers a query without a binding's SQL condition once it holds every entry committed so far.
    private async Task<bool> UsableAsync(CatalogQuery query, CancellationToken ct)
    {
        var usable = query.Where is null && index.IsOpen && await FreshAsync(ct);
        Engine.Add(1, new KeyValuePair<string, object?>("engine", usable ? "index" : "postgresql"));
        index.Count(usable);
        return usable;
    }

    private async Task<bool> FreshAsync(CancellationToken ct)
    {
        var target = await CatalogIndexFeeder.HeadAsync(db, ct);
        if (index.Watermark >= target) return true;
        index.Wake();
        return await index.WaitForAsync(target, index.Options.FreshnessWait, ct);
    }

    private (IndexPlan Plan, CatalogSort Sort, IReadOnlyList<MatchedConcept> Concepts) Plan(CatalogQuery q, CallerScope caller)
    {
        var text = string.IsNullOrWhiteSpace(q.Text) ? null : expansion.Expand(q.Text, q.ExpandConcepts);
        var plan = IndexQuery.Build(q, caller, text);
        var sort = q.Sort == CatalogSort.Relevance && !plan.Ranked ? CatalogSort.Date : q.Sort;
        return (plan, sort, text?.Concepts ?? []);
    }

    private async Task<Dictionary<EntryKey, CatalogEntry>> EntriesAsync(CallerScope caller, IReadOnlyList<IndexPage.Row> rows, CancellationToken ct)
    {
        // Both key columns, so the primary key finds the page's rows (the resource id alone would scan the table).
        var ids = rows.Select(r => r.Key.ResourceId).Distinct().ToArray();
        var origins = rows.Select(r => r.Key.OriginNode).Distinct().ToArray();
        var entries = await Visible(caller).Where(x => origins.Contains(x.OriginNode) && ids.Contains(x.ResourceId)).ToListAsync(ct);
        var wanted = rows.Select(r => r.Key).ToHashSet();
        return entries.Select(e => (Key: new EntryKey(e.OriginNode, e.ResourceId), Entry: e)).Where(e => wanted.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Entry);
    }
}
