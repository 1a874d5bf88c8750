using System.Security.Claims;
using MedImaging.Contracts.Audit;
using MedImaging.Contracts.Metadata;
using MedImaging.Metadata.Domain;
using MedImaging.Metadata.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Apis;

/// <summary>元数据集管理 and 元数据版本管理 (§4.3.4, §4.8.5): sets and the draft → active → deprecated life of their versions.</summary>
public static class MetadataSetsApi
{
    public sealed record CreateSetRequest(string Code, string NameZh, string NameEn, string? Reason = null, string? Source = null);

    /// <summary>A new draft: based on <paramref name="BasedOn"/> (default the latest version) with <paramref name="Migration"/> applied.</summary>
    public sealed record CreateVersionRequest(string ChangeNote, string? Source = null, int? BasedOn = null, SchemaMigration? Migration = null);

    public sealed record VersionView(Guid Id, int Version, string Status, string ChangeNote, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ActivatedAt, string? ActivatedBy);
    public sealed record SetView(Guid Id, string Code, string NameZh, string NameEn, IReadOnlyList<VersionView> Versions);

    public static IEndpointRouteBuilder MapMetadataSetsApi(this IEndpointRouteBuilder app)
    {
        var sets = app.MapGroup("/sets").WithTags("Metadata sets");
        sets.MapGet("/", ListSets).WithName("ListMetadataSets").WithSummary("Metadata sets with their versions").RequireAuthorization(Policies.MetadataRead);
        sets.MapGet("/{code}", GetSet).WithName("GetMetadataSet").WithSummary("One metadata set with its versions").RequireAuthorization(Policies.MetadataRead);
        sets.MapPost("/", CreateSet).WithName("CreateMetadataSet").WithSummary("Create an empty metadata set").RequireAuthorization(Policies.MetadataAdmin);
        sets.MapPost("/{code}/versions", CreateVersion).WithName("CreateMetadataSetVersion")
            .WithSummary("Open a new draft version derived from a base version by a stated migration").RequireAuthorization(Policies.MetadataAdmin);
        sets.MapPost("/{code}/versions/{version:int}/activate", ActivateVersion).WithName("ActivateMetadataSetVersion")
            .WithSummary("Make a draft the active version; the previous active one is deprecated and MetadataSetVersionActivated is published")
            .RequireAuthorization(Policies.MetadataAdmin);
        sets.MapPost("/{code}/versions/{version:int}/deprecate", DeprecateVersion).WithName("DeprecateMetadataSetVersion")
            .WithSummary("Retire an active version without a successor").RequireAuthorization(Policies.MetadataAdmin);
        return app;
    }

    public static async Task<Ok<Paged<SetView>>> ListSets(MetadataDbContext db, [AsParameters] PageQuery paging, CancellationToken ct) =>
        TypedResults.Ok(await db.MetadataSets.Include(s => s.Versions).OrderBy(s => s.Code).ToPagedAsync(paging, ToView, ct));

    public static async Task<Results<Ok<SetView>, ProblemHttpResult>> GetSet(string code, MetadataDbContext db, CancellationToken ct) =>
        await db.MetadataSets.Include(s => s.Versions).FirstOrDefaultAsync(s => s.Code == code, ct) is { } set
            ? TypedResults.Ok(ToView(set))
            : NotFound(code);

    public static async Task<Results<Created<SetView>, ProblemHttpResult, Microsoft.AspNetCore.Http.HttpResults.ValidationProblem>> CreateSet(
        CreateSetRequest request, MetadataDbContext db, ClaimsPrincipal user, IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 64) errors["code"] = ["A code of 1 to 64 characters is required."];
        if (string.IsNullOrWhiteSpace(request.NameZh)) errors["nameZh"] = ["A Chinese name is required."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await db.MetadataSets.AnyAsync(s => s.Code == request.Code, ct))
            return TypedResults.Problem(title: "Metadata set exists", detail: $"A metadata set with code '{request.Code}' already exists.", statusCode: 409);

        var set = new MetadataSet { Code = request.Code, NameZh = request.NameZh, NameEn = request.NameEn ?? "", CreatedBy = user.Actor() };
        db.MetadataSets.Add(set);
        db.Record(user.Actor(), new(request.Reason, request.Source), "new metadata set", $"set:{set.Code}", "created", new { set.NameZh, set.NameEn });
        audit.StageChange(http, AuditActions.MetadataSchemaChange, MetadataAudit.Set, $"set:{set.Code}", set.Code, "set-created");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/sets/{set.Code}", ToView(set));
    }

    public static async Task<Results<Created<VersionView>, ProblemHttpResult>> CreateVersion(
        string code, CreateVersionRequest request, MetadataDbContext db, ClaimsPrincipal user, IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var set = await db.MetadataSets.Include(s => s.Versions).FirstOrDefaultAsync(s => s.Code == code, ct);
        if (set is null) return NotFound(code);
        var baseVersion = request.BasedOn is { } b ? set.Versions.FirstOrDefault(v => v.Version == b) : set.Versions.MaxBy(v => v.Version);
        if (request.BasedOn is not null && baseVersion is null)
            throw new ValidationProblemException("basedOn", $"Set '{code}' has no version {request.BasedOn}.");

        var entities = new List<EntityDefinition>();
        var elements = new List<ElementDefinition>();
        if (baseVersion is not null)
        {
            await db.Entry(baseVersion).Collection(v => v.Elements).LoadAsync(ct);
            await db.Entry(baseVersion).Collection(v => v.Entities).LoadAsync(ct);
            entities.AddRange(baseVersion.Entities.OrderBy(e => e.Order).Select(EntityDefinition.From));
            elements.AddRange(baseVersion.Elements.OrderBy(e => e.Order).Select(ElementDefinition.From));
        }
        var migration = request.Migration ?? new SchemaMigration();
        var errors = new Dictionary<string, string[]>();
        (entities, elements) = VersionDerivation.Derive(entities, elements, migration, errors);
        if (errors.Count > 0) throw new ValidationProblemException("The migration does not apply to the base version", errors);

        var version = new MetadataSetVersion
        {
            MetadataSetId = set.Id,
            Version = set.Versions.Count == 0 ? 1 : set.Versions.Max(v => v.Version) + 1,
            ChangeNote = request.ChangeNote ?? "",
            Source = string.IsNullOrWhiteSpace(request.Source) ? "api" : request.Source,
            CreatedBy = user.Actor(),
            BasedOnVersion = baseVersion?.Version,
            Migration = migration,
        };
        version.Entities.AddRange(entities.Select((e, i) => e.ToEntity(version.Id, i)));
        version.Elements.AddRange(elements.Select((e, i) => e.ToElement(version.Id, i)));
        db.MetadataSetVersions.Add(version);
        db.Record(user.Actor(), new(request.ChangeNote, request.Source), "new version", $"set:{code}/v{version.Version}", "created",
            new { basedOn = baseVersion?.Version, migration });
        audit.StageChange(http, AuditActions.MetadataSchemaChange, MetadataAudit.SetVersion, $"set:{code}/v{version.Version}", $"{code}/v{version.Version}", "version-created",
            ("version", version.Version), ("basedOn", baseVersion?.Version), ("entities", version.Entities.Count), ("elements", version.Elements.Count),
            ("added", migration.Added.Count), ("removed", migration.Removed.Count), ("renamed", migration.Renamed.Count), ("defaults", migration.Defaults.Count));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/sets/{code}/versions/{version.Version}", ToView(version));
    }

    public static async Task<Results<Ok<VersionView>, ProblemHttpResult>> ActivateVersion(
        string code, int version, MetadataDbContext db, IOutbox outbox, ServiceHostContext host, ClaimsPrincipal user, IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var set = await db.MetadataSets.Include(s => s.Versions).FirstOrDefaultAsync(s => s.Code == code, ct);
        var target = set?.Versions.FirstOrDefault(v => v.Version == version);
        if (set is null || target is null) return NotFound($"{code} version {version}");
        if (target.Status != MetadataSetVersionStatus.Draft)
            return TypedResults.Problem(title: "Version is not a draft", detail: $"Version {version} of '{code}' is {target.Status}; only a draft can be activated.", statusCode: 409);

        var previous = set.Versions.FirstOrDefault(v => v.Status == MetadataSetVersionStatus.Active);
        previous?.Deprecate();
        // Deprecate first and flush, so the one-active-version index never sees two actives inside the transaction.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        target.Activate(user.Actor());
        // The event carries the version's schema (VersionFacts): load what the set query left out.
        await db.Entry(target).Collection(v => v.Elements).LoadAsync(ct);
        await db.Entry(target).Collection(v => v.Entities).LoadAsync(ct);
        outbox.Enqueue(new MetadataSetVersionActivated
        {
            OriginNode = host.RequiredNode.NodeId,
            MetadataSetId = set.Id,
            SetCode = set.Code,
            Version = target.Version,
            VersionId = target.Id,
            PreviousVersion = previous?.Version,
            ActivatedBy = user.Actor(),
        }.WithSchema(set, target));
        db.Record(user.Actor(), new(null, null), $"activate version {version}", $"set:{code}/v{version}", "activated", new { previous = previous?.Version });
        audit.StageChange(http, AuditActions.MetadataSchemaChange, MetadataAudit.SetVersion, $"set:{code}/v{version}", $"{code}/v{version}", "version-activated",
            ("version", version), ("deprecatedVersion", previous?.Version));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(ToView(target));
    }

    public static async Task<Results<Ok<VersionView>, ProblemHttpResult>> DeprecateVersion(
        string code, int version, MetadataDbContext db, ClaimsPrincipal user, IAuditTrail audit, HttpContext http, CancellationToken ct)
    {
        var set = await db.MetadataSets.Include(s => s.Versions).FirstOrDefaultAsync(s => s.Code == code, ct);
        var target = set?.Versions.FirstOrDefault(v => v.Version == version);
        if (set is null || target is null) return NotFound($"{code} version {version}");
        if (target.Status != MetadataSetVersionStatus.Active)
            return TypedResults.Problem(title: "Version is not active", detail: $"Version {version} of '{code}' is {target.Status}.", statusCode: 409);
        target.Deprecate();
        db.Record(user.Actor(), new(null, null), $"deprecate version {version}", $"set:{code}/v{version}", "deprecated");
        audit.StageChange(http, AuditActions.MetadataSchemaChange, MetadataAudit.SetVersion, $"set:{code}/v{version}", $"{code}/v{version}", "version-deprecated",
            ("version", version));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(target));
    }

    internal static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: $"Metadata set {what} does not exist.", statusCode: 404);

    private static SetView ToView(MetadataSet s) =>
        new(s.Id, s.Code, s.NameZh, s.NameEn, s.Versions.OrderBy(v => v.Version).Select(ToView).ToList());

    private static VersionView ToView(MetadataSetVersion v) =>
        new(v.Id, v.Version, v.Status.ToString(), v.ChangeNote, v.CreatedAt, v.CreatedBy, v.ActivatedAt, v.ActivatedBy);
}
