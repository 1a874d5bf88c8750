using MedImaging.Contracts.Audit;
using MedImaging.Directory.Catalog.Rebuild;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedImaging.Directory.Apis;

/// <summary>
/// The read model's rebuild (ADR 0024): re-reads every published entry of this node from Registration and replaces this
/// node's entries with them, for recovery and for new indexes. Administrators only.
/// </summary>
public static class RebuildApi
{
    public const string Path = "/admin/rebuild";

    /// <summary>Where a rebuild stands: running, succeeded, failed or interrupted, and how far it got.</summary>
    public sealed record RebuildView(Guid Id, string State, string RequestedBy, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
        int Pages, long EntriesWritten, long EntriesRemoved, string? LastError)
    {
        public static RebuildView From(RebuildRun r) => new(r.Id, r.State.ToString().ToLowerInvariant(), r.RequestedBy, r.StartedAt, r.FinishedAt,
            r.Pages, r.EntriesWritten, r.EntriesRemoved, r.LastError);
    }

    public static IEndpointRouteBuilder MapRebuildApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Path).WithTags("Administration").RequireAuthorization(Policies.Admin);
        g.MapPost("/", Start).WithName("StartDirectoryRebuild")
            .WithSummary("Rebuild the read model from Registration's published-entries feed (202 with the status location; 409 while one runs)");
        g.MapGet("/", Status).WithName("GetDirectoryRebuild")
            .WithSummary("The latest rebuild: state, pages, entries written and removed, started, finished, last error");
        return app;
    }

    public static async Task<Results<Accepted<RebuildView>, ProblemHttpResult>> Start(CatalogRebuild rebuild, DirectoryDbContext db, IAuditTrail audit,
        HttpContext http, CancellationToken ct)
    {
        var run = await rebuild.TryStartAsync(http, db, audit, ct);
        if (run is null)
        {
            var running = await CatalogRebuild.LatestAsync(db, ct);
            await audit.WriteAsync(AuditEvents.For(http, AuditActions.DirectoryRebuild, new AuditResource { Kind = CatalogRebuild.Resource, Id = running?.Id.ToString() },
                AuditOutcome.Failed("a rebuild is already running")), ct);
            return TypedResults.Problem(title: "A rebuild is running", statusCode: StatusCodes.Status409Conflict,
                detail: $"Rebuild {running?.Id} (started {running?.StartedAt:O} by {running?.RequestedBy}) is still running; follow it at GET {http.Request.PathBase}{Path}.",
                extensions: new Dictionary<string, object?> { ["runId"] = running?.Id });
        }
        return TypedResults.Accepted($"{http.Request.PathBase}{Path}", RebuildView.From(run));
    }

    public static async Task<Results<Ok<RebuildView>, ProblemHttpResult>> Status(DirectoryDbContext db, CancellationToken ct)
        => await CatalogRebuild.LatestAsync(db, ct) is { } run ? TypedResults.Ok(RebuildView.From(run))
            : TypedResults.Problem(title: "No rebuild yet", statusCode: StatusCodes.Status404NotFound, detail: "The read model of this node was never rebuilt.");
}
