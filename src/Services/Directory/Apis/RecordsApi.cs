using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MedImaging.Directory.Discovery;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Apis;

/// <summary>
/// One record by identifier (目录检索结果提取 of a single entry, §4.10): by its 资源标识符 (OID) or by origin node and
/// resource id; the same 404 for a missing entry and for one the caller may not see.
/// </summary>
public static partial class RecordsApi
{
    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/records").WithTags("Discovery").RequireAuthorization(Policies.Discover);
        g.MapGet("/{identifier}", ByIdentifier).WithName("GetRecordByIdentifier")
            .WithSummary("One record by its 资源标识符 (OID); elementSet brief|summary|full (default full), format json|xml")
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/json", "application/xml")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        g.MapGet("/{originNode}/{resourceId:guid}", ByKey).WithName("GetRecordByKey")
            .WithSummary("One record by origin node and resource id; elementSet and format as by identifier")
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/json", "application/xml")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<IResult> ByIdentifier(string identifier, string? elementSet, string? format, ICatalogSearch search, DirectoryDbContext db,
        ServedRecords served, HttpContext http, CancellationToken ct)
    {
        if (!Oid().IsMatch(identifier)) throw new ValidationProblemException("identifier", "Not a 资源标识符 (an OID such as 1.2.156.112604.130000.2.2.1.1).");
        return await ServeAsync(identifier, q => q.Where(e => e.ResourceIdentifier == identifier), elementSet, format, search, db, served, http, ct);
    }

    public static Task<IResult> ByKey(string originNode, Guid resourceId, string? elementSet, string? format, ICatalogSearch search, DirectoryDbContext db,
        ServedRecords served, HttpContext http, CancellationToken ct) =>
        ServeAsync($"{originNode}/{resourceId}", q => q.Where(e => e.OriginNode == originNode && e.ResourceId == resourceId), elementSet, format, search, db, served, http, ct);

    private static async Task<IResult> ServeAsync(string identifier, Func<IQueryable<CatalogEntry>, IQueryable<CatalogEntry>> find, string? elementSet, string? format,
        ICatalogSearch search, DirectoryDbContext db, ServedRecords served, HttpContext http, CancellationToken ct)
    {
        var (set, fmt) = RecordOutput.Parse(elementSet, format, ElementSet.Full);
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["view"] = "record", ["elementSet"] = ElementSets.Name(set), ["format"] = fmt.ToString().ToLowerInvariant() };
        var entry = await find(search.Visible(http.User.Scope())).OrderBy(e => e.OriginNode).FirstOrDefaultAsync(ct);
        if (entry is null)
        {
            // Only to tell the regulator that a hidden entry was asked for (Registration does the same); the caller's 404 is the same.
            if (await find(search.Visible(NodeWide)).OrderBy(e => e.OriginNode).FirstOrDefaultAsync(ct) is { } hidden) await served.DeniedAsync(http, hidden, details, ct);
            return DiscoveryProblems.NoRecord(identifier);
        }
        var schemas = await ActiveSchemas.LoadAsync(db, ct);
        if (fmt == RecordFormat.Xml && schemas.RecordSetOf(entry) is null) return DiscoveryProblems.SchemaUnknown(entry.Kind);
        await served.RecordAsync(http, [entry], details, export: null, ct);
        var key = new EntryKey(entry.OriginNode, entry.ResourceId);
        return fmt == RecordFormat.Xml
            ? RecordOutput.Xml(RecordXml.Entry(key, entry, set, schemas, position: null).WithDirectoryPrefix())
            : TypedResults.Ok(RecordJson.Write(entry, set, schemas));
    }

    // Every published entry of the node and its replicas, whatever its classification and institution.
    private static readonly CallerScope NodeWide = new(SecurityLevels.Confidential, null, null);

    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*))+$")]
    private static partial Regex Oid();
}
