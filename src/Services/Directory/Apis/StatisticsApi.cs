using System.Globalization;
using System.Security.Claims;
using MedImaging.Contracts.Audit;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Statistics;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MedImaging.Directory.Apis;

public sealed record CatalogueStatisticsView(string By, long Entries, Paged<StatisticsValue> Values);

public sealed record UsageStatisticsView(string By, IReadOnlyList<string> Kinds, DateOnly? From, DateOnly? To, Paged<UsageRow> Rows);

/// <summary>
/// 主题统计 and 共享监测 (§4.8.3, §4.8.6 f–g) as JSON for the portal and as CSV (<c>format=csv</c> or <c>Accept: text/csv</c>;
/// the CSV holds every row, the JSON pages them). The catalogue's counts follow <see cref="Policies.Discover"/> in the
/// caller's scope; usage needs <see cref="Policies.Publish"/> (ADR 0029). A CSV is an export (§4.8.6, issue 12 item 6):
/// each one is audited with what it held; the JSON pages the portal draws are not.
/// </summary>
public static class StatisticsApi
{
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/statistics").WithTags("Statistics");
        group.MapGet("/catalogue", Catalogue).RequireAuthorization(Policies.Discover).WithName("CatalogueStatistics")
            .WithSummary($"Published entries the caller may see, counted by one of: {string.Join(", ", CatalogueStatistics.Dimensions)} (default classification)");
        group.MapGet("/usage", Usage).RequireAuthorization(Policies.Publish).WithName("UsageStatistics")
            .WithSummary("Views, search hits, requests and downloads of the entries the caller may see, by resource or by caller institution");
        return app;
    }

    public static async Task<Results<Ok<CatalogueStatisticsView>, FileContentHttpResult>> Catalogue(HttpRequest http, ClaimsPrincipal user, CatalogueStatistics statistics,
        IAuditTrail audit, [FromQuery] string? by, [FromQuery] string? format, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var dimension = CatalogueStatistics.Dimensions.FirstOrDefault(d => string.Equals(d, by ?? "classification", StringComparison.OrdinalIgnoreCase))
            ?? throw new ValidationProblemException("by", $"by is one of {string.Join(", ", CatalogueStatistics.Dimensions)}; got '{by}'.");
        var csv = CsvTable.Wanted(http, format);
        var (entries, values) = await statistics.CountAsync(dimension, user.Scope(), ct);
        if (csv)
        {
            await ExportedAsync(http, audit, $"catalogue-{dimension}", values.Count, user, ct);
            return TypedResults.File(CsvTable.Write([dimension, "label", "count"], values.Select(v => new[] { v.Value, v.Label, Number(v.Count) })),
                CsvTable.ContentType, $"catalogue-{dimension}.csv");
        }
        return TypedResults.Ok(new CatalogueStatisticsView(dimension, entries, values.ToPaged(paging)));
    }

    public static async Task<Results<Ok<UsageStatisticsView>, FileContentHttpResult>> Usage(HttpRequest http, ClaimsPrincipal user, UsageStatistics statistics,
        IAuditTrail audit, [FromQuery] string? by, [FromQuery] string[]? kind, [FromQuery] DateOnly? from, [FromQuery] DateOnly? to, [FromQuery] string? format,
        [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var dimension = (by ?? UsageStatistics.ByResource).ToLowerInvariant() is var d && d is UsageStatistics.ByResource or UsageStatistics.ByInstitution ? d
            : throw new ValidationProblemException("by", $"by is {UsageStatistics.ByResource} or {UsageStatistics.ByInstitution}; got '{by}'.");
        var kinds = Kinds(kind ?? []);
        if (from > to) throw new ValidationProblemException("to", $"to ({to:yyyy-MM-dd}) is before from ({from:yyyy-MM-dd}).");
        var csv = CsvTable.Wanted(http, format);
        paging.Checked();
        var rows = await statistics.QueryAsync(dimension, kinds, from, to, user.Scope(), paging, all: csv, ct);
        var names = Enum.GetValues<UsageKind>().Where(kinds.Contains).Select(UsageStatistics.Name).ToList();
        if (!csv) return TypedResults.Ok(new UsageStatisticsView(dimension, names, from, to, rows));
        string[] keys = dimension == UsageStatistics.ByResource ? ["origin_node", "resource_id", "resource_identifier", "title"] : ["institution"];
        var table = rows.Items.Select(r => (dimension == UsageStatistics.ByResource
                ? new[] { r.OriginNode, r.ResourceId?.ToString(), r.ResourceIdentifier, r.Title }
                : [r.Institution]).Concat(names.Select(n => Number(r.Counts[n]))).Append(Number(r.Total)).ToArray());
        await ExportedAsync(http, audit, $"usage-{dimension}", rows.Items.Count, user, ct);
        return TypedResults.File(CsvTable.Write([.. keys, .. names, "total"], table), CsvTable.ContentType, $"usage-{dimension}.csv");
    }

    // kind=view,searchHit or kind=view&kind=searchHit; none means every kind.
    private static HashSet<UsageKind> Kinds(string[] values)
    {
        var names = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (names.Count == 0) return [.. Enum.GetValues<UsageKind>()];
        var kinds = new HashSet<UsageKind>();
        foreach (var name in names)
            kinds.Add(UsageStatistics.Kinds.TryGetValue(name, out var k) ? k
                : throw new ValidationProblemException("kind", $"kind is one or more of {string.Join(", ", UsageStatistics.Kinds.Keys)}; got '{name}'."));
        return kinds;
    }

    // One record per CSV handed out: which table, how many rows, in whose scope (the rows follow the caller's clearance).
    private static Task ExportedAsync(HttpRequest http, IAuditTrail audit, string table, int rows, ClaimsPrincipal user, CancellationToken ct) =>
        audit.WriteAsync(AuditEvents.For(http.HttpContext, AuditActions.CatalogueExport, new AuditResource { Kind = "statistics", Id = table, Identifier = table + ".csv" },
            AuditOutcome.Success, new Dictionary<string, string>
            {
                ["format"] = "csv", ["rows"] = Number(rows), ["query"] = http.QueryString.Value ?? "",
                ["scope"] = user.Scope().Clearance,
            }), ct);

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
