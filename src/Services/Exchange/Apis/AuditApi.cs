using MedImaging.Contracts.Audit;
using MedImaging.Exchange.Audit.Export;
using MedImaging.Exchange.Audit.Query;
using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Exchange.Apis;

/// <summary>
/// The regulator's view of the node's audit trail (审计管理, §4.4.1): filtered, keyset-paged reads and streamed exports
/// (CSV, JSON lines, DICOM PS3.15 A.5 audit messages; ADR 0023). Regulator and admin only; every read is itself audited.
/// </summary>
public static class AuditApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Where the next page starts: its cursor, and the link (relative to this request) that asks for it.</summary>
    public sealed record AuditCursor(long After, string Link);

    /// <summary>One page of the trail in sequence order; <see cref="Next"/> is null when nothing matched beyond it.</summary>
    public sealed record AuditEventsPage(IReadOnlyList<AuditRecordView> Items, int Limit, AuditCursor? Next);

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/audit").WithTags("Audit trail").RequireAuthorization(Policies.Audit);
        g.MapGet("/events", ListEvents).WithName("ListAuditEvents")
            .WithSummary("Audit events by time, actor, role, client, institution, action, resource, outcome and node; keyset-paged by sequence (after, limit ≤ 1000)");
        g.MapGet("/export", Export).WithName("ExportAuditEvents")
            .WithSummary("The matching audit events as a file: format=csv (UTF-8 with BOM), jsonl, or atna (DICOM PS3.15 A.5 audit messages)");
        return app;
    }

    public static async Task<Ok<AuditEventsPage>> ListEvents(ExchangeDbContext db, IAuditTrail audit, HttpContext http,
        [AsParameters] AuditQuery query, [FromQuery(Name = "limit")] int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            throw new ValidationProblemException("limit", $"limit must be between 1 and {MaxLimit}; got {limit}.");
        var filter = query.Checked();
        var size = limit ?? DefaultLimit;

        // One row more than asked tells whether there is a next page without counting the trail.
        var rows = await filter.Apply(db.AuditRecords.AsNoTracking()).Take(size + 1).ToListAsync(ct);
        var more = rows.Count > size;
        if (more) rows.RemoveAt(size);
        var next = more ? new AuditCursor(rows[^1].Sequence, NextLink(filter, size, rows[^1].Sequence)) : null;

        var details = filter.ToDetails();
        details["limit"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        details["returned"] = rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await audit.WriteAsync(AuditEvents.For(http, AuditActions.AuditQuery, Trail(http), details: details), ct);

        return TypedResults.Ok(new AuditEventsPage([.. rows.Select(AuditRecordView.From)], size, next));
    }

    public static async Task<PushStreamHttpResult> Export(ExchangeDbContext db, IAuditTrail audit, HttpContext http, ServiceHostContext host,
        [AsParameters] AuditQuery query, [FromQuery(Name = "format")] string? format, CancellationToken ct)
    {
        var writer = AuditExportFormat.Find(format) ?? throw new ValidationProblemException("format",
            $"format must be one of {string.Join(", ", AuditExportFormat.All.Select(f => f.Name))}; got '{format}'.");
        var filter = query.Checked();

        // The export covers the trail as it stood when it began; the record of the export says up to where, so the
        // regulator's file can be reproduced and checked against the chain.
        var through = await db.AuditRecords.MaxAsync(r => (long?)r.Sequence, ct) ?? 0;
        var info = new AuditExportInfo(host.RequiredNode.NodeId, DateTimeOffset.UtcNow, through);
        var details = filter.ToDetails();
        details["format"] = writer.Name;
        details["through"] = through.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Written before the first row leaves: no part of the trail is exported without a record of it.
        await audit.WriteAsync(AuditEvents.For(http, AuditActions.AuditExport, Trail(http), details: details), ct);

        var rows = filter.Apply(db.AuditRecords.AsNoTracking().Where(r => r.Sequence <= through)).AsAsyncEnumerable();
        var file = $"audit-{info.Node}-{info.ExportedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.{writer.Extension}";
        return TypedResults.Stream(body => writer.WriteAsync(body, rows, info, http.RequestAborted), writer.ContentType, file);
    }

    private static AuditResource Trail(HttpContext http) => new()
    {
        Kind = "audit-trail",
        Id = http.RequestServices.GetRequiredService<ServiceHostContext>().Node?.NodeId,
        Classification = SecurityLevels.Confidential,
    };

    // Relative to the request ("?…"), so it works alike through the gateway (/api/exchange/audit/events) and directly.
    private static string NextLink(AuditFilter filter, int limit, long after)
    {
        var query = filter.ToQuery().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        query["after"] = after.ToString(System.Globalization.CultureInfo.InvariantCulture);
        query["limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString("", query);
    }
}
