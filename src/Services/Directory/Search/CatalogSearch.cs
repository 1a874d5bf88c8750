using System.Linq.Expressions;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using NpgsqlTypes;

namespace MedImaging.Directory.Search;

/// <summary>
/// The catalogue query engine over the read model in PostgreSQL (ADR 0025): the catalogue's own Han-bigram tokens in a
/// weighted tsvector with a GIN index for text, an index per element filter, exact facet counts and keyset pages.
/// Every query starts from <see cref="Visible"/>, so the caller's clearance and scope bound hits, totals and facets alike,
/// and a binding's <see cref="CatalogQuery.Where"/> is composed into the same SQL.
/// </summary>
public sealed class CatalogSearch(DirectoryDbContext db, IQueryExpansion expansion, SearchCursorKey cursorKey) : ICatalogSearch
{
    // What a group of alternatives adds to the score by the heaviest field it matches in (title > keywords >
    // abstract/description > institution name and modality).
    private const double Title = 1.0, Keywords = 0.5, Body = 0.25, Other = 0.1;

    public IQueryable<CatalogEntry> Visible(CallerScope caller) => db.CatalogEntries.AsNoTracking().VisibleTo(caller);

    public async Task<CatalogHits> SearchAsync(CatalogQuery query, CallerScope caller, CatalogPage page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var plan = Plan(query, caller);
        var key = await cursorKey.GetAsync();
        var fingerprint = SearchCursorKey.Fingerprint(query);
        var after = page.After is { Length: > 0 } a ? SearchCursor.Decode(a, key, fingerprint, plan.Sort, query.Descending) : null;
        var limit = Math.Clamp(page.Limit, 1, CatalogPage.MaxLimit);
        var result = await SearchSql.RunAsync(db, plan.Rows, query.Facets.Distinct(StringComparer.Ordinal).ToList(), plan.Sort, query.Descending, after,
            limit + 1, ct);
        var rows = result.Page.Take(limit).ToList();
        var entries = await EntriesAsync(caller, rows, ct);
        var hits = rows.Where(r => entries.ContainsKey(r.Key)).Select(r => new CatalogHit(entries[r.Key], r.Score)).ToList();
        var next = result.Page.Count > limit && rows[^1] is var last
            ? new SearchCursor(plan.Sort, query.Descending, last.Score, last.PublishedAt, last.Title, last.Key).Encode(key, fingerprint)
            : null;
        return new CatalogHits(result.Total, hits, result.Facets, next, plan.Concepts);
    }

    public async Task<IReadOnlyList<EntryKey>> KeysAsync(CatalogQuery query, CallerScope caller, int max, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var plan = Plan(query, caller);
        var result = await SearchSql.RunAsync(db, plan.Rows, [], plan.Sort, query.Descending, null, Math.Max(max, 0), ct);
        return [.. result.Page.Select(r => r.Key)];
    }

    private async Task<Dictionary<EntryKey, CatalogEntry>> EntriesAsync(CallerScope caller, IReadOnlyList<SearchSql.PageRow> rows, CancellationToken ct)
    {
        // Both key columns, so the primary key finds the page's rows (the resource id alone would scan the table).
        var ids = rows.Select(r => r.Key.ResourceId).Distinct().ToArray();
        var origins = rows.Select(r => r.Key.OriginNode).Distinct().ToArray();
        var entries = await Visible(caller).Where(x => origins.Contains(x.OriginNode) && ids.Contains(x.ResourceId)).ToListAsync(ct);
        return entries.Select(e => (Key: new EntryKey(e.OriginNode, e.ResourceId), Entry: e))
            .Where(e => rows.Any(r => r.Key == e.Key)).ToDictionary(e => e.Key, e => e.Entry);
    }

    private sealed record SearchPlan(IQueryable<SearchSql.MatchRow> Rows, CatalogSort Sort, IReadOnlyList<MatchedConcept> Concepts);

    private SearchPlan Plan(CatalogQuery q, CallerScope caller)
    {
        var e = CatalogFilters.Apply(Visible(caller), q);
        IReadOnlyList<MatchedConcept> concepts = [];
        // Not a constant: EF leaves constants out of the SQL, and the statement reads the projection by position.
        var score = (Expression<Func<CatalogEntry, double>>)(x => x.RecordVersion * 0.0);
        var ranked = false;
        if (!string.IsNullOrWhiteSpace(q.Text))
        {
            var expanded = expansion.Expand(q.Text, q.ExpandConcepts);
            concepts = expanded.Concepts;
            var groups = expanded.Groups.Where(g => SearchText.AnyOf(g) is not null).ToList();
            if (groups.Count > 0)
            {
                var all = groups.Select(g => SearchText.AnyOf(g)!).Aggregate((a, b) => new NpgsqlTsQueryAnd(a, b));
                e = e.Where(x => x.SearchVector.Matches(all));
                score = groups.Select(GroupScore).Aggregate(Sum);
                ranked = true;
            }
        }
        // Without text every score is equal: relevance means newest first.
        var sort = q.Sort == CatalogSort.Relevance && !ranked ? CatalogSort.Date : q.Sort;
        return new SearchPlan(e.Select(Project(score)), sort, concepts);
    }

    private static Expression<Func<CatalogEntry, double>> GroupScore(IReadOnlyList<string> group)
    {
        var (a, b, c) = (SearchText.AnyOf(group, NpgsqlTsQueryLexeme.Weight.A)!, SearchText.AnyOf(group, NpgsqlTsQueryLexeme.Weight.B)!,
            SearchText.AnyOf(group, NpgsqlTsQueryLexeme.Weight.C)!);
        return x => x.SearchVector.Matches(a) ? Title : x.SearchVector.Matches(b) ? Keywords : x.SearchVector.Matches(c) ? Body : Other;
    }

    private static Expression<Func<CatalogEntry, double>> Sum(Expression<Func<CatalogEntry, double>> left, Expression<Func<CatalogEntry, double>> right) =>
        Expression.Lambda<Func<CatalogEntry, double>>(
            Expression.Add(left.Body, ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body)), left.Parameters);

    private static Expression<Func<CatalogEntry, SearchSql.MatchRow>> Project(Expression<Func<CatalogEntry, double>> score)
    {
        Expression<Func<CatalogEntry, double, SearchSql.MatchRow>> row = (x, s) => new SearchSql.MatchRow(x.OriginNode, x.ResourceId, s, x.PublishedAt,
            x.Title, x.Category, x.Subcategory, x.ClassificationCode, x.Modalities, x.BodyParts, x.Institution, x.SecurityClassification, x.Kind, x.StudyDate);
        var body = ReplacingExpressionVisitor.Replace(row.Parameters[1], ReplacingExpressionVisitor.Replace(score.Parameters[0], row.Parameters[0], score.Body), row.Body);
        return Expression.Lambda<Func<CatalogEntry, SearchSql.MatchRow>>(body, row.Parameters[0]);
    }
}
