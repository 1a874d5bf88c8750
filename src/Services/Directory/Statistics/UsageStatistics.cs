using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Statistics;

/// <summary>One row of the usage statistics: an entry (by=resource) or a caller institution (by=institution).</summary>
public sealed record UsageRow(string? OriginNode, Guid? ResourceId, string? ResourceIdentifier, string? Title, string? Institution,
    IReadOnlyDictionary<string, long> Counts, long Total);

/// <summary>
/// 共享监测 (§4.8.6 g): views, searches that hit, requests and downloads from <c>directory.usage_counts</c>, per entry or
/// per caller institution, over a day range. Counts are joined to the search's visible set in the caller's scope: the
/// use of an entry the caller may not see is neither listed nor added into an institution's total.
/// </summary>
public sealed class UsageStatistics(DirectoryDbContext db, ICatalogSearch search)
{
    public const string ByResource = "resource";
    public const string ByInstitution = "institution";

    /// <summary>The kinds as the API names them.</summary>
    public static readonly IReadOnlyDictionary<string, UsageKind> Kinds = new Dictionary<string, UsageKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["view"] = UsageKind.View, ["searchHit"] = UsageKind.SearchHit, ["request"] = UsageKind.Request, ["download"] = UsageKind.Download,
    };

    public static string Name(UsageKind kind) => kind switch
    {
        UsageKind.View => "view",
        UsageKind.SearchHit => "searchHit",
        UsageKind.Request => "request",
        _ => "download",
    };

    public async Task<Paged<UsageRow>> QueryAsync(string by, IReadOnlySet<UsageKind> kinds, DateOnly? fromDay, DateOnly? toDay, CallerScope caller,
        PageQuery paging, bool all, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        bool view = kinds.Contains(UsageKind.View), hit = kinds.Contains(UsageKind.SearchHit),
             request = kinds.Contains(UsageKind.Request), download = kinds.Contains(UsageKind.Download);
        var used = from u in db.UsageCounts.AsNoTracking()
                   where ((view && u.Kind == UsageKind.View) || (hit && u.Kind == UsageKind.SearchHit)
                          || (request && u.Kind == UsageKind.Request) || (download && u.Kind == UsageKind.Download))
                         && (fromDay == null || u.Day >= fromDay) && (toDay == null || u.Day <= toDay)
                   join e in search.Visible(caller) on new { u.OriginNode, u.ResourceId } equals new { e.OriginNode, e.ResourceId }
                   select new { u, e.Title, e.ResourceIdentifier };
        IQueryable<Sums> sums = by == ByInstitution
            ? used.GroupBy(x => x.u.Institution).Select(g => new Sums
            {
                OriginNode = null, ResourceId = null, Title = null, ResourceIdentifier = null, Institution = g.Key,
                View = g.Sum(x => x.u.Kind == UsageKind.View ? x.u.Count : 0L), SearchHit = g.Sum(x => x.u.Kind == UsageKind.SearchHit ? x.u.Count : 0L),
                Request = g.Sum(x => x.u.Kind == UsageKind.Request ? x.u.Count : 0L), Download = g.Sum(x => x.u.Kind == UsageKind.Download ? x.u.Count : 0L),
                Total = g.Sum(x => x.u.Count),
            })
            : used.GroupBy(x => new { x.u.OriginNode, x.u.ResourceId, x.Title, x.ResourceIdentifier }).Select(g => new Sums
            {
                OriginNode = g.Key.OriginNode, ResourceId = g.Key.ResourceId, Title = g.Key.Title, ResourceIdentifier = g.Key.ResourceIdentifier, Institution = null,
                View = g.Sum(x => x.u.Kind == UsageKind.View ? x.u.Count : 0L), SearchHit = g.Sum(x => x.u.Kind == UsageKind.SearchHit ? x.u.Count : 0L),
                Request = g.Sum(x => x.u.Kind == UsageKind.Request ? x.u.Count : 0L), Download = g.Sum(x => x.u.Kind == UsageKind.Download ? x.u.Count : 0L),
                Total = g.Sum(x => x.u.Count),
            });
        var ordered = sums.OrderByDescending(s => s.Total).ThenBy(s => s.Institution).ThenBy(s => s.OriginNode).ThenBy(s => s.ResourceId);
        if (!all) return await ordered.ToPagedAsync(paging, s => Row(s, kinds), ct);
        var rows = await ordered.ToListAsync(ct);
        return new Paged<UsageRow>([.. rows.Select(s => Row(s, kinds))], 1, rows.Count, rows.Count);
    }

    private static UsageRow Row(Sums s, IReadOnlySet<UsageKind> kinds)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var kind in Enum.GetValues<UsageKind>().Where(kinds.Contains))
            counts[Name(kind)] = kind switch { UsageKind.View => s.View, UsageKind.SearchHit => s.SearchHit, UsageKind.Request => s.Request, _ => s.Download };
        return new UsageRow(s.OriginNode, s.ResourceId, s.ResourceIdentifier, s.Title, s.Institution, counts, s.Total);
    }

    private sealed class Sums
    {
        public string? OriginNode { get; init; }
        public Guid? ResourceId { get; init; }
        public string? Title { get; init; }
        public string? ResourceIdentifier { get; init; }
        public string? Institution { get; init; }
        public long View { get; init; }
        public long SearchHit { get; init; }
        public long Request { get; init; }
        public long Download { get; init; }
        public long Total { get; init; }
    }
}
