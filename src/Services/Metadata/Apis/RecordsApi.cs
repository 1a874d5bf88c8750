using System.Security.Claims;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Audit;
using MedImaging.Metadata.Domain;
using MedImaging.Metadata.Infrastructure;
using MedImaging.Metadata.Infrastructure.Export;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Apis;

/// <summary>
/// Metadata records kept for validation and schema migration (ADR 0005): written against the active version of a set,
/// exported as JSON or XML (§4.9.4), migrated in bulk when a new version is activated.
/// </summary>
public static class RecordsApi
{
    public sealed record PutRecordRequest(string SetCode, JsonObject Values, string? Reason = null, string? Source = null);
    public sealed record RecordView(string ResourceId, string SetCode, int Version, int Revision, DateTimeOffset UpdatedAt, string UpdatedBy, JsonObject Values);
    public sealed record MigrateRequest(bool DryRun = false, string? Reason = null, string? Source = null);

    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/records").WithTags("Records");
        g.MapPut("/{resourceId}", Put).WithName("PutMetadataRecord").WithSummary("Store a record, validated against the set's active version").RequireAuthorization(Policies.MetadataAdmin);
        g.MapGet("/{resourceId}", Get).WithName("GetMetadataRecord").WithSummary("A record as JSON").RequireAuthorization(Policies.MetadataRead);
        g.MapGet("/{resourceId}/xml", GetXml).WithName("GetMetadataRecordXml").WithSummary("A record as XML, valid against its version's XSD").RequireAuthorization(Policies.MetadataRead);
        app.MapPost("/sets/{code}/versions/{version:int}/migrate-records", Migrate).WithTags("Records").WithName("MigrateMetadataRecords")
            .WithSummary("Migrate every record of older versions of the set to this version; reports what changed per record").RequireAuthorization(Policies.MetadataAdmin);
        return app;
    }

    public static async Task<Results<Ok<RecordView>, ProblemHttpResult>> Put(string resourceId, PutRecordRequest request, MetadataCatalog catalog, MetadataDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await catalog.FindVersionAsync(request.SetCode, null, ct) is not var (set, v) || v.Status != MetadataSetVersionStatus.Active)
            return MetadataSetsApi.NotFound($"{request.SetCode} (active version)");
        var values = request.Values ?? [];
        if (values["resourceId"] is JsonValue given && given.ToString() != resourceId)
            throw new ValidationProblemException("resourceId", $"The record's resourceId '{given}' differs from the URL's '{resourceId}'.");
        if (v.Element("resourceId") is not null) values["resourceId"] = resourceId;
        var report = await catalog.ValidateAsync(set, v, values, ct);
        if (!report.Valid) throw new ValidationProblemException($"The record does not conform to {set.Code} version {v.Version}", report.ToErrors());

        var record = await db.MetadataRecords.FindAsync([resourceId], ct);
        if (record is null)
            db.MetadataRecords.Add(record = new MetadataRecord { ResourceId = resourceId, SetCode = set.Code, SetVersionId = v.Id, Version = v.Version, Values = values.ToJsonString(), UpdatedBy = user.Actor() });
        else
        {
            if (record.SetCode != set.Code) throw new ValidationProblemException("setCode", $"Record {resourceId} belongs to set '{record.SetCode}'.");
            (record.SetVersionId, record.Version, record.Values, record.UpdatedBy, record.UpdatedAt) = (v.Id, v.Version, values.ToJsonString(), user.Actor(), DateTimeOffset.UtcNow);
            record.Revision++;
        }
        db.Record(user.Actor(), new(request.Reason, request.Source), "record written", $"record:{resourceId}", "written", new { set.Code, v.Version });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(record));
    }

    public static async Task<Results<Ok<RecordView>, ProblemHttpResult>> Get(string resourceId, MetadataDbContext db, CancellationToken ct) =>
        await db.MetadataRecords.AsNoTracking().FirstOrDefaultAsync(r => r.ResourceId == resourceId, ct) is { } r ? TypedResults.Ok(View(r)) : NotFound(resourceId);

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetXml(string resourceId, MetadataCatalog catalog, MetadataDbContext db, CancellationToken ct)
    {
        if (await db.MetadataRecords.AsNoTracking().FirstOrDefaultAsync(r => r.ResourceId == resourceId, ct) is not { } r) return NotFound(resourceId);
        var (set, v) = (await catalog.FindVersionAsync(r.SetCode, r.Version, ct))!.Value;
        var xml = RecordXmlWriter.Write(set, v, JsonNode.Parse(r.Values)!.AsObject());
        return TypedResults.Content(xml.Declaration + "\n" + xml.Root, "application/xml; charset=utf-8");
    }

    public static async Task<Results<Ok<MigrationReport>, ProblemHttpResult>> Migrate(string code, int version, MigrateRequest request, MetadataCatalog catalog, MetadataDbContext db, ClaimsPrincipal user,
        IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        if (await catalog.FindVersionAsync(code, version, ct) is not var (set, target)) return MetadataSetsApi.NotFound($"{code} version {version}");
        if (target.Status != MetadataSetVersionStatus.Active)
            throw new ValidationProblemException("version", $"Records migrate only to the active version; version {version} is {target.Status}.");
        var steps = new List<MetadataSetVersion>();
        foreach (var step in set.Versions.Where(x => x.Version <= version).OrderBy(x => x.Version))
            steps.Add((await catalog.FindVersionAsync(code, step.Version, ct))!.Value.Version);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var records = await db.MetadataRecords.Where(r => r.SetCode == code && r.Version < version).OrderBy(r => r.ResourceId).ToListAsync(ct);
        var results = new List<RecordMigration>();
        foreach (var record in records)
        {
            var values = JsonNode.Parse(record.Values)!.AsObject();
            var changes = RecordMigrator.Apply(values, steps.Where(s => s.Version > record.Version));
            var report = await catalog.ValidateAsync(set, target, values, ct);
            results.Add(new(record.ResourceId, record.Version, version, report.Valid ? "migrated" : "failed", changes, report.Problems));
            // A record that would not be valid stays on its version, untouched, for a cataloguer to fix.
            if (!report.Valid || request.DryRun) continue;
            (record.SetVersionId, record.Version, record.Values, record.UpdatedBy, record.UpdatedAt) = (target.Id, version, values.ToJsonString(), user.Actor(), DateTimeOffset.UtcNow);
            record.Revision++;
        }
        var result = new MigrationReport(code, version, request.DryRun, results.Count(r => r.Status == "migrated"), results.Count(r => r.Status == "failed"), results);
        if (!request.DryRun)
        {
            db.Record(user.Actor(), new(request.Reason, request.Source), $"migrate records to version {version}", $"set:{code}/v{version}", "records-migrated", result);
            // The schema change reaching the stored records: counts only, the per-record report stays in the provenance log.
            audit.StageChange(http, AuditActions.MetadataSchemaChange, MetadataAudit.SetVersion, $"set:{code}/v{version}", $"{code}/v{version}", "records-migrated",
                ("version", version), ("migrated", result.Migrated), ("failed", result.Failed));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(result);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(title: "Not found", detail: $"No metadata record {id}.", statusCode: 404);

    private static RecordView View(MetadataRecord r) => new(r.ResourceId, r.SetCode, r.Version, r.Revision, r.UpdatedAt, r.UpdatedBy, JsonNode.Parse(r.Values)!.AsObject());
}
