using System.Globalization;
using System.Xml.Linq;
using MedImaging.Contracts.Audit;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Csw;

/// <summary>
/// GetRecords and GetRecordById over <see cref="ICatalogSearch"/>: the caller's clearance and scope bound every count,
/// page and record. Records served count as search hits or views; a restricted-or-above record served is audited.
/// </summary>
internal sealed class CswCatalog(ICatalogSearch search, ICatalogUsage usage, IAuditTrail audit, TimeProvider clock)
{
    private static readonly XNamespace Csw = CswNames.Csw;

    public async Task<XDocument> GetRecordsAsync(GetRecordsRequest r, HttpContext http, CancellationToken ct)
    {
        if (r.ResultType == ResultType.Validate)
            return Document(new XElement(Csw + "Acknowledgement", CswNames.Prefixes(), new XAttribute("timeStamp", Now()),
                new XElement(Csw + "EchoedRequest", r.Echo), r.RequestId is null ? null : new XElement(Csw + "RequestId", r.RequestId)));

        var max = Math.Min(r.MaxRecords, CswNames.MaxRecords);
        var wantRecords = r.ResultType == ResultType.Results && max > 0;
        if (wantRecords && r.StartPosition - 1 + max > CswNames.MaxPosition)
            throw CswException.Invalid("startPosition", $"Records beyond position {CswNames.MaxPosition} are not served (startPosition + maxRecords − 1); narrow the constraint.");

        var t = FilterTranslator.Translate(r.Filter);
        var query = new CatalogQuery
        {
            Text = t.Text,
            Where = t.Where,
            Sort = r.Sort ?? (t.Text is null ? CatalogSort.Date : CatalogSort.Relevance),
            Descending = r.Sort is null || r.Descending,
        };
        var caller = http.User.Scope();
        var first = await search.SearchAsync(query, caller, new CatalogPage(Limit: Math.Max(1, r.StartPosition == 1 ? max : 1)), ct);
        IReadOnlyList<CatalogEntry> records = [];
        if (wantRecords)
            records = r.StartPosition == 1 ? [.. first.Items.Take(max).Select(h => h.Entry)] : await PageAsync(query, caller, r.StartPosition, max, ct);
        await ServedAsync(records, UsageKind.SearchHit, http, caller, ct);

        var returned = records.Count;
        var next = wantRecords
            ? (r.StartPosition - 1 + returned < first.Total && returned > 0 ? r.StartPosition + returned : 0)
            : (first.Total >= r.StartPosition ? r.StartPosition : 0);
        var results = new XElement(Csw + "SearchResults",
            new XAttribute("numberOfRecordsMatched", first.Total), new XAttribute("numberOfRecordsReturned", returned),
            new XAttribute("nextRecord", next), new XAttribute("recordSchema", r.OutputSchema),
            r.ElementNames.Count == 0 ? new XAttribute("elementSet", r.ElementSet.ToString().ToLowerInvariant()) : null,
            records.Select(e => RecordWriter.Write(e, r.OutputSchema, r.ElementSet, r.ElementNames)));
        return Document(new XElement(Csw + "GetRecordsResponse", CswNames.Prefixes(), Mi(r.OutputSchema), new XAttribute("version", CswNames.Version),
            r.RequestId is null ? null : new XElement(Csw + "RequestId", r.RequestId),
            new XElement(Csw + "SearchStatus", new XAttribute("timestamp", Now())), results));
    }

    public async Task<XDocument> GetRecordByIdAsync(GetRecordByIdRequest r, HttpContext http, CancellationToken ct)
    {
        var caller = http.User.Scope();
        var found = new List<CatalogEntry>();
        foreach (var id in r.Ids.Distinct(StringComparer.Ordinal))
            if (await FindAsync(id, caller, ct) is { } entry && !found.Any(f => f.OriginNode == entry.OriginNode && f.ResourceId == entry.ResourceId))
                found.Add(entry);
        await ServedAsync(found, UsageKind.View, http, caller, ct);
        return Document(new XElement(Csw + "GetRecordByIdResponse", CswNames.Prefixes(), Mi(r.OutputSchema),
            found.Select(e => RecordWriter.Write(e, r.OutputSchema, r.ElementSet, []))));
    }

    /// <summary>An Id is the 资源标识符 (OID), origin/resource id, or the resource id alone; unknown and hidden alike find nothing.</summary>
    private async Task<CatalogEntry?> FindAsync(string id, CallerScope caller, CancellationToken ct)
    {
        var visible = search.Visible(caller);
        var slash = id.LastIndexOf('/');
        if (slash > 0 && Guid.TryParse(id[(slash + 1)..], out var keyed))
        {
            var origin = id[..slash];
            return await visible.FirstOrDefaultAsync(e => e.OriginNode == origin && e.ResourceId == keyed, ct);
        }
        if (Guid.TryParse(id, out var resourceId))
            return await visible.Where(e => e.ResourceId == resourceId).OrderBy(e => e.OriginNode).FirstOrDefaultAsync(ct);
        return await visible.Where(e => e.ResourceIdentifier == id).OrderBy(e => e.OriginNode).FirstOrDefaultAsync(ct);
    }

    /// <summary>Positions start..start+max−1 of the query's order: the keys up to the page's end, then the page's entries.</summary>
    private async Task<IReadOnlyList<CatalogEntry>> PageAsync(CatalogQuery query, CallerScope caller, int start, int max, CancellationToken ct)
    {
        var keys = (await search.KeysAsync(query, caller, start - 1 + max, ct)).Skip(start - 1).ToList();
        if (keys.Count == 0) return [];
        var ids = keys.Select(k => k.ResourceId).Distinct().ToArray();
        var rows = await search.Visible(caller).Where(e => ids.Contains(e.ResourceId)).ToListAsync(ct);
        return [.. keys.Select(k => rows.FirstOrDefault(e => e.OriginNode == k.OriginNode && e.ResourceId == k.ResourceId)).OfType<CatalogEntry>()];
    }

    private async Task ServedAsync(IReadOnlyList<CatalogEntry> records, UsageKind kind, HttpContext http, CallerScope caller, CancellationToken ct)
    {
        await usage.RecordAsync(kind, [.. records.Select(e => new EntryKey(e.OriginNode, e.ResourceId))], caller, ct);
        foreach (var e in records.Where(e => SecurityLevels.Rank(e.SecurityClassification) >= SecurityLevels.Rank(SecurityLevels.Restricted)))
            await audit.WriteAsync(AuditEvents.For(http, AuditActions.EntryRead,
                new AuditResource { Kind = "catalogue-entry", Id = $"{e.OriginNode}/{e.ResourceId}", Identifier = e.ResourceIdentifier, Classification = e.SecurityClassification, Institution = e.Institution },
                AuditOutcome.Success, new Dictionary<string, string> { ["view"] = kind == UsageKind.View ? "csw-record" : "csw-search" }), ct);
    }

    private static XAttribute? Mi(string schema) => schema == CswNames.OwnSchema ? new XAttribute(XNamespace.Xmlns + "mi", CswNames.Mi.NamespaceName) : null;

    private string Now() => clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static XDocument Document(XElement root) => new(new XDeclaration("1.0", "utf-8", null), root);
}
