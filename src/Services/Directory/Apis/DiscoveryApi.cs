using System.Text.Json.Nodes;
using System.Xml.Linq;
using MedImaging.Contracts.Audit;
using MedImaging.Directory.Discovery;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MedImaging.Directory.Apis;

/// <summary>
/// The basic interface's session operations (目录服务初始化 / 目录服务终止) and the discovery interface (目录检索 and
/// 目录检索结果提取) of §4.10 over a <see cref="DirectorySession"/> and its result sets (ADR 0026).
/// </summary>
public static class DiscoveryApi
{
    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/sessions").WithTags("Discovery").RequireAuthorization(Policies.Discover);
        g.MapPost("", InitializeSession).WithName("InitializeDirectorySession")
            .WithSummary("目录服务初始化: open a DirectorySession (its id, limits and sliding expiry), bound to the caller");
        g.MapGet("/{id}", GetSession).WithName("GetDirectorySession").WithSummary("The caller's session, its expiry renewed");
        g.MapDelete("/{id}", TerminateSession).WithName("TerminateDirectorySession")
            .WithSummary("目录服务终止: end the session and drop its result sets");
        g.MapPost("/{id}/searches", Search).WithName("SearchDirectory")
            .WithSummary("目录检索: run a query; answers the exact hit count and a ResultSet holding the matching entries' keys in order");
        g.MapGet("/{id}/result-sets/{resultSetId}", Retrieve).WithName("RetrieveResultSet")
            .WithSummary("目录检索结果提取: records of a result set by position (1-based) and count, as brief, summary or full, JSON or XML")
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/json", "application/xml")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<Created<DirectorySession>> InitializeSession(DiscoveryStore store, IOptionsMonitor<DiscoveryOptions> options, HttpContext http)
    {
        var s = await store.CreateAsync(DiscoveryCaller.Owner(http.User));
        return TypedResults.Created($"{http.Request.PathBase}/sessions/{s.Id}", new DirectorySession(s.Id, s.CreatedAt, s.ExpiresAt, options.CurrentValue.Limits));
    }

    public static async Task<Results<Ok<DirectorySession>, ProblemHttpResult>> GetSession(string id, DiscoveryStore store, IOptionsMonitor<DiscoveryOptions> options, HttpContext http) =>
        await store.OpenAsync(id, DiscoveryCaller.Owner(http.User)) is { } s
            ? TypedResults.Ok(new DirectorySession(s.Id, s.CreatedAt, s.ExpiresAt, options.CurrentValue.Limits))
            : DiscoveryProblems.NoSession(id);

    public static async Task<Results<NoContent, ProblemHttpResult>> TerminateSession(string id, DiscoveryStore store, HttpContext http) =>
        await store.TerminateAsync(id, DiscoveryCaller.Owner(http.User)) ? TypedResults.NoContent() : DiscoveryProblems.NoSession(id);

    public static async Task<Results<Created<ResultSetCreated>, ProblemHttpResult>> Search(string id, [FromBody] SearchRequest? body, DiscoveryStore store,
        ICatalogSearch search, IOptionsMonitor<DiscoveryOptions> options, HttpContext http, CancellationToken ct)
    {
        var query = (body ?? new SearchRequest()).ToQuery();
        if (await store.OpenAsync(id, DiscoveryCaller.Owner(http.User)) is not { } session) return DiscoveryProblems.NoSession(id);
        var scope = http.User.Scope();
        var max = options.CurrentValue.MaxResultSetSize;
        // One key more than the limit tells whether the snapshot is capped; only then is the exact total counted apart.
        var keys = await search.KeysAsync(query, scope, max + 1, ct);
        var capped = keys.Count > max;
        var hits = capped ? (await search.SearchAsync(query with { Facets = [] }, scope, new CatalogPage(1), ct)).Total : keys.Count;
        var created = await store.SaveResultSetAsync(session, capped ? [.. keys.Take(max)] : keys, hits, capped);
        return TypedResults.Created($"{http.Request.PathBase}/sessions/{id}/result-sets/{created.ResultSetId}", created);
    }

    public static async Task<IResult> Retrieve(string id, string resultSetId, int? position, int? count, string? elementSet, string? format,
        DiscoveryStore store, ICatalogSearch search, DirectoryDbContext db, ServedRecords served, IOptionsMonitor<DiscoveryOptions> options,
        HttpContext http, CancellationToken ct)
    {
        var (set, fmt) = RecordOutput.Parse(elementSet, format, ElementSet.Brief);
        var max = options.CurrentValue.MaxRecordsPerRetrieval;
        var from = position ?? 1;
        var n = count ?? Math.Min(10, max);
        if (from < 1) throw new ValidationProblemException("position", "Positions start at 1.");
        if (n < 1 || n > max) throw new ValidationProblemException("count", $"From 1 to {max} (the session's maxRecordsPerRetrieval).");
        if (await store.OpenAsync(id, DiscoveryCaller.Owner(http.User)) is not { } session) return DiscoveryProblems.NoSession(id);
        if (await store.ResultSetAsync(session, resultSetId) is not { } rs) return DiscoveryProblems.NoResultSet(resultSetId);
        if (from > rs.Size)
            throw new ValidationProblemException("position", rs.Size == 0 ? "The result set is empty." : $"Past the end: the result set holds {rs.Size} records (positions 1 to {rs.Size}).");

        var keys = await store.KeysAsync(rs, from, n);
        var entries = await RecordOutput.VisibleAsync(search, http.User.Scope(), keys, ct);
        var schemas = await ActiveSchemas.LoadAsync(db, ct);
        if (fmt == RecordFormat.Xml && entries.Values.FirstOrDefault(e => schemas.RecordSetOf(e) is null) is { } unknown) return DiscoveryProblems.SchemaUnknown(unknown.Kind);

        var next = from + keys.Count <= rs.Size ? from + keys.Count : (int?)null;
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["view"] = "result-set", ["resultSet"] = rs.Id, ["elementSet"] = ElementSets.Name(set), ["format"] = fmt.ToString().ToLowerInvariant(),
        };
        var servedEntries = keys.Where(entries.ContainsKey).Select(k => entries[k]).ToList();
        // A full retrieval hands out whole records in bulk: an export, audited once per retrieval beside the per-record reads.
        var export = set == ElementSet.Full
            ? AuditEvents.For(http, AuditActions.CatalogueExport, new() { Kind = ServedRecords.ResultSetKind, Id = rs.Id }, AuditOutcome.Success,
                new Dictionary<string, string>(details, StringComparer.Ordinal)
                {
                    ["session"] = session.Id, ["position"] = $"{from}", ["count"] = $"{keys.Count}", ["records"] = $"{servedEntries.Count}", ["hits"] = $"{rs.Hits}",
                })
            : null;
        await served.RecordAsync(http, servedEntries, details, export, ct);

        if (fmt == RecordFormat.Xml)
            return RecordOutput.Xml(new XElement(RecordXml.Dir + "records", new XAttribute(XNamespace.Xmlns + "directory", RecordXml.Dir.NamespaceName),
                new XAttribute("resultSetId", rs.Id), new XAttribute("hits", rs.Hits), new XAttribute("size", rs.Size), new XAttribute("capped", rs.Capped),
                new XAttribute("position", from), new XAttribute("count", keys.Count), next is { } nx ? new XAttribute("nextPosition", nx) : null,
                new XAttribute("elementSet", ElementSets.Name(set)),
                keys.Select((k, i) => RecordXml.Entry(k, entries.GetValueOrDefault(k), set, schemas, from + i))));

        var records = new JsonArray();
        foreach (var (k, i) in keys.Select((k, i) => (k, i)))
        {
            var record = entries.TryGetValue(k, out var e)
                ? RecordJson.Write(e, set, schemas)
                : new JsonObject { ["originNode"] = k.OriginNode, ["resourceId"] = k.ResourceId };
            record.Insert(0, "position", from + i);
            record.Insert(1, "status", e is null ? RecordStatus.Withdrawn : RecordStatus.Available);
            records.Add(record);
        }
        return TypedResults.Ok(new JsonObject
        {
            ["resultSetId"] = rs.Id, ["hits"] = rs.Hits, ["size"] = rs.Size, ["capped"] = rs.Capped, ["position"] = from, ["count"] = keys.Count,
            ["nextPosition"] = next, ["elementSet"] = ElementSets.Name(set), ["expiresAt"] = session.ExpiresAt, ["records"] = records,
        });
    }
}
