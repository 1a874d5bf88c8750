using System.Security.Claims;
using MedImaging.Contracts.Metadata;
using MedImaging.Metadata.Domain;
using MedImaging.Metadata.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Apis;

public static class MetadataSetsApi
{
    public sealed record CreateSetRequest(string Code, string NameZh, string NameEn);
    public sealed record CreateVersionRequest(string ChangeNote);
    public sealed record VersionView(Guid Id, int Version, string Status, string ChangeNote, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ActivatedAt, string? ActivatedBy);
    public sealed record SetView(Guid Id, string Code, string NameZh, string NameEn, IReadOnlyList<VersionView> Versions);

    public static IEndpointRouteBuilder MapMetadataSetsApi(this IEndpointRouteBuilder app)
    {
        var sets = app.MapGroup("/sets").WithTags("Metadata sets");
        sets.MapGet("/", ListSets).WithName("ListMetadataSets").WithSummary("Metadata sets with their versions").RequireAuthorization(Policies.MetadataRead);
        sets.MapGet("/{code}", GetSet).WithName("GetMetadataSet").RequireAuthorization(Policies.MetadataRead);
        sets.MapPost("/", CreateSet).WithName("CreateMetadataSet").RequireAuthorization(Policies.MetadataAdmin);
        sets.MapPost("/{code}/versions", CreateVersion).WithName("CreateMetadataSetVersion").WithSummary("Open a new draft version").RequireAuthorization(Policies.MetadataAdmin);
        sets.MapPost("/{code}/versions/{version:int}/activate", ActivateVersion).WithName("ActivateMetadataSetVersion")
            .WithSummary("Make a draft the active version; the previous active one is deprecated and MetadataSetVersionActivated is published")
            .RequireAuthorization(Policies.MetadataAdmin);
        return app;
    }

    public static async Task<Ok<List<SetView>>> ListSets(MetadataDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.MetadataSets.Include(s => s.Versions).OrderBy(s => s.Code).ToListAsync(ct)).Select(ToView).ToList());

    public static async Task<Results<Ok<SetView>, NotFound<ProblemDetails>>> GetSet(string code, MetadataDbContext db, CancellationToken ct) =>
        await db.MetadataSets.Include(s => s.Versions).FirstOrDefaultAsync(s => s.Code == code, ct) is { } set
            ? TypedResults.Ok(ToView(set))
            : NotFound(code);

    public static async Task<Results<Created<SetView>, Conflict<ProblemDetails>, ValidationProblem>> CreateSet(
        CreateSetRequest request, MetadataDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 64) errors["code"] = ["A code of 1 to 64 characters is required."];
        if (string.IsNullOrWhiteSpace(request.NameZh)) errors["nameZh"] = ["A Chinese name is required."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await db.MetadataSets.AnyAsync(s => s.Code == request.Code, ct))
            return TypedResults.Conflict(new ProblemDetails { Title = "Metadata set exists", Detail = $"A metadata set with code '{request.Code}' already exists.", Status = 409 });

        var set = new MetadataSet { Code = request.Code, NameZh = request.NameZh, NameEn = request.NameEn ?? "", CreatedBy = user.Actor() };
        db.MetadataSets.Add(set);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/sets/{set.Code}", ToView(set));
    }

    public static async Task<Results<Created<VersionView>, NotFound<ProblemDetails>>> CreateVersion(
        string code, CreateVersionRequest request, MetadataDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var set = await db.MetadataSets.Include(s => s.Versions).FirstOrDefaultAsync(s => s.Code == code, ct);
        if (set is null) return NotFound(code);
        var version = new MetadataSetVersion
        {
            MetadataSetId = set.Id,
            Version = set.Versions.Count == 0 ? 1 : set.Versions.Max(v => v.Version) + 1,
            ChangeNote = request.ChangeNote ?? "",
            CreatedBy = user.Actor(),
        };
        db.MetadataSetVersions.Add(version);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/sets/{code}/versions/{version.Version}", ToView(version));
    }

    public static async Task<Results<Ok<VersionView>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ActivateVersion(
        string code, int version, MetadataDbContext db, IOutbox outbox, ServiceHostContext host, ClaimsPrincipal user, CancellationToken ct)
    {
        var set = await db.MetadataSets.Include(s => s.Versions).FirstOrDefaultAsync(s => s.Code == code, ct);
        var target = set?.Versions.FirstOrDefault(v => v.Version == version);
        if (set is null || target is null) return NotFound($"{code} version {version}");
        if (target.Status != MetadataSetVersionStatus.Draft)
            return TypedResults.Conflict(new ProblemDetails { Title = "Version is not a draft", Detail = $"Version {version} of '{code}' is {target.Status}; only a draft can be activated.", Status = 409 });

        var previous = set.Versions.FirstOrDefault(v => v.Status == MetadataSetVersionStatus.Active);
        previous?.Deprecate();
        // Deprecate first and flush, so the one-active-version index never sees two actives inside the transaction.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        target.Activate(user.Actor());
        outbox.Enqueue(new MetadataSetVersionActivated
        {
            OriginNode = host.RequiredNode.NodeId,
            MetadataSetId = set.Id,
            SetCode = set.Code,
            Version = target.Version,
            VersionId = target.Id,
            PreviousVersion = previous?.Version,
            ActivatedBy = user.Actor(),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(ToView(target));
    }

    private static NotFound<ProblemDetails> NotFound(string what) =>
        TypedResults.NotFound(new ProblemDetails { Title = "Not found", Detail = $"Metadata set {what} does not exist.", Status = 404 });

    private static SetView ToView(MetadataSet s) =>
        new(s.Id, s.Code, s.NameZh, s.NameEn, s.Versions.OrderBy(v => v.Version).Select(ToView).ToList());

    private static VersionView ToView(MetadataSetVersion v) =>
        new(v.Id, v.Version, v.Status.ToString(), v.ChangeNote, v.CreatedAt, v.CreatedBy, v.ActivatedAt, v.ActivatedBy);
}
