using System.Globalization;
using System.Text;
using MedImaging.Contracts.Audit;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Directory.Dcat;

/// <summary>
/// The DCAT-AP export for open-data portals and CKAN harvesters: <c>GET /dcat</c> (Turtle or JSON-LD by Accept),
/// <c>/dcat.ttl</c>, <c>/dcat.jsonld</c>; paged with <c>pageSize</c> and the engine's <c>cursor</c>. It always shows
/// the public scope — what an anonymous caller may see — whatever token comes with the request, because what it
/// exports is republished beyond the node. Every export request is audited (catalogue-export).
/// </summary>
public static class DcatApi
{
    public const int DefaultPageSize = 100;

    private static readonly CallerScope PublicScope = new(SecurityLevels.Public, null, null);

    public static IEndpointRouteBuilder MapDcatApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dcat", (HttpContext http, ICatalogSearch search, IAuditTrail audit, ServiceHostContext host, CancellationToken ct) =>
                Negotiate(http) is { } format ? Export(http, format, search, audit, host, ct) : Task.FromResult(NotAcceptable(http)))
            .WithTags("DCAT").WithName("DcatExport").WithSummary("DCAT-AP catalogue of the public entries (Turtle or JSON-LD by Accept), paged")
            .RequireAuthorization(Policies.Discover);
        app.MapGet("/dcat.ttl", (HttpContext http, ICatalogSearch search, IAuditTrail audit, ServiceHostContext host, CancellationToken ct) =>
                Export(http, RdfWriters.TurtleType, search, audit, host, ct))
            .WithTags("DCAT").WithName("DcatExportTurtle").WithSummary("DCAT-AP catalogue of the public entries as Turtle, paged")
            .RequireAuthorization(Policies.Discover);
        app.MapGet("/dcat.jsonld", (HttpContext http, ICatalogSearch search, IAuditTrail audit, ServiceHostContext host, CancellationToken ct) =>
                Export(http, RdfWriters.JsonLdType, search, audit, host, ct))
            .WithTags("DCAT").WithName("DcatExportJsonLd").WithSummary("DCAT-AP catalogue of the public entries as JSON-LD, paged")
            .RequireAuthorization(Policies.Discover);
        return app;
    }

    private static async Task<IResult> Export(HttpContext http, string format, ICatalogSearch search, IAuditTrail audit, ServiceHostContext host, CancellationToken ct)
    {
        var query = http.Request.Query;
        var pageSize = DefaultPageSize;
        if (query.TryGetValue("pageSize", out var size) && !(int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= CatalogPage.MaxLimit))
            return Problem("pageSize", $"pageSize: '{size}' is not a whole number from 1 to {CatalogPage.MaxLimit}.");
        var cursor = query.TryGetValue("cursor", out var c) ? c.ToString() : null;
        CatalogHits hits;
        try
        {
            // Newest first by publication, the order a harvester's next run finds new entries in.
            hits = await search.SearchAsync(new CatalogQuery { Sort = CatalogSort.Date, Descending = true, ExpandConcepts = false }, PublicScope, new CatalogPage(pageSize, cursor), ct);
        }
        catch (ArgumentException ex) when (ex.ParamName == "cursor")
        {
            return Problem("cursor", ex.Message);
        }
        var node = host.RequiredNode;
        // Links name the node's public address (its gateway), where harvesters come from, not this host's own.
        var baseUrl = node.GatewayUrl.AbsoluteUri.TrimEnd('/') + "/api/directory";
        var path = format == RdfWriters.TurtleType ? "/dcat.ttl" : "/dcat.jsonld";
        string Url(string? at) => $"{baseUrl}{path}?pageSize={pageSize}" + (at is null ? "" : "&cursor=" + Uri.EscapeDataString(at));
        var graph = new DcatCatalog(node, baseUrl).Page(hits, Url(cursor), Url(null), hits.NextCursor is { } next ? Url(next) : null, pageSize);

        await audit.WriteAsync(AuditEvents.For(http, AuditActions.CatalogueExport, new AuditResource { Kind = "catalogue", Id = node.NodeId, Identifier = "dcat" },
            details: new Dictionary<string, string>
            {
                ["format"] = format, ["scope"] = SecurityLevels.Public, ["entries"] = hits.Items.Count.ToString(CultureInfo.InvariantCulture),
                ["total"] = hits.Total.ToString(CultureInfo.InvariantCulture), ["cursor"] = cursor ?? "",
            }), ct);
        return format == RdfWriters.TurtleType
            ? Results.Text(RdfWriters.Turtle(graph), RdfWriters.TurtleType, Encoding.UTF8)
            : Results.Bytes(RdfWriters.JsonLd(graph), RdfWriters.JsonLdType);
    }

    /// <summary>Turtle for text/turtle, */* or no Accept; JSON-LD for application/ld+json or application/json.</summary>
    private static string? Negotiate(HttpContext http)
    {
        var accept = http.Request.GetTypedHeaders().Accept;
        if (accept.Count == 0) return RdfWriters.TurtleType;
        foreach (var media in accept.Where(m => m.Quality != 0).OrderByDescending(m => m.Quality ?? 1))
        {
            var type = media.MediaType.Value;
            if (type is RdfWriters.TurtleType or "*/*" or "text/*") return RdfWriters.TurtleType;
            if (type is RdfWriters.JsonLdType or "application/json" or "application/*") return RdfWriters.JsonLdType;
        }
        return null;
    }

    private static IResult NotAcceptable(HttpContext http) => Results.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: "Not acceptable",
        detail: $"The DCAT export is {RdfWriters.TurtleType} or {RdfWriters.JsonLdType}; Accept was '{http.Request.Headers.Accept}'.");

    private static IResult Problem(string parameter, string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid parameter", detail: detail, extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
