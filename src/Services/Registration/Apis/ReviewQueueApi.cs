using System.Globalization;
using MedImaging.Contracts.Audit;
using MedImaging.Registration.Auditing;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Apis;

/// <summary>
/// The review queue (§4.3.2 目录内容审核): registered entries waiting for a reviewer, approved ones waiting for a
/// publisher, and bulk approve/publish over a list of ids. A bulk action commits every id it can move in one
/// transaction and reports the others one by one (not found, conflict, or invalid with the failing elements). If the
/// Metadata service cannot be asked, nothing moves (503).
/// </summary>
public static class ReviewQueueApi
{
    public sealed record BulkRequest(IReadOnlyList<Guid>? Ids);

    public sealed record BulkOutcome(Guid Id, string Outcome, string? CurrentState, IReadOnlyList<CatalogueProblem>? Problems = null);

    public static IEndpointRouteBuilder MapReviewQueueApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/review-queue").WithTags("Review queue");
        g.MapGet("/", Queue).WithName("GetReviewQueue").WithSummary("Registered entries awaiting review (or ?state=approved: awaiting publication)")
            .RequireAuthorization(RegistrationPolicies.ReviewQueue);
        g.MapPost("/approve", (BulkRequest body, CatalogingService s, RegistrationDbContext db, HttpContext http, CancellationToken ct)
                => GuardedAsync(() => BulkAsync(body, WorkflowAction.Approve, s, db, http, ct), WorkflowAction.Approve, http))
            .WithName("BulkApprove").WithSummary("Approve the listed registered entries").RequireAuthorization(Policies.Review);
        g.MapPost("/publish", (BulkRequest body, CatalogingService s, RegistrationDbContext db, HttpContext http, CancellationToken ct)
                => GuardedAsync(() => BulkAsync(body, WorkflowAction.Publish, s, db, http, ct), WorkflowAction.Publish, http))
            .WithName("BulkPublish").WithSummary("Publish the listed approved entries").RequireAuthorization(Policies.Publish);
        return app;
    }

    public static async Task<Ok<Paged<ResourcesApi.ResourceView>>> Queue(RegistrationDbContext db, HttpContext http, string? state, [AsParameters] PageQuery paging,
        CancellationToken ct)
    {
        var wanted = QueryValues.Parse<WorkflowState>("state", state) ?? WorkflowState.Registered;
        var q = db.Resources.AsNoTracking().VisibleTo(http.User.Scope()).Where(r => r.State == wanted).OrderBy(r => r.UpdatedAt).ThenBy(r => r.Id);
        var page = await q.ToPagedAsync(paging, ResourcesApi.ResourceView.From, ct);
        await RegistrationAudit.WriteReadsAsync(http, page.Items.Select(v => v.ToAuditResource()), "review-queue", ct);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<List<BulkOutcome>>, ProblemHttpResult>> BulkAsync(BulkRequest body, WorkflowAction action, CatalogingService service,
        RegistrationDbContext db, HttpContext http, CancellationToken ct)
    {
        var ids = body.Ids?.Distinct().ToList() ?? [];
        if (ids.Count is 0 or > 500) throw new ValidationProblemException("ids", "Give between 1 and 500 resource ids.");
        // Every listed entry is locked (in key order, as single actions lock) before any is read, so a single action on
        // one of them waits for this commit, or this waits for it, and no move is lost or made twice.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockEntriesAsync(ids, ct);
        var found = await db.Resources.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        // An entry the caller may not see is reported exactly as a missing one; the audit record tells them apart.
        var scope = http.User.Scope();
        var hidden = found.Values.Where(r => !scope.MaySee(r.SecurityClassification, r.Institution)).Select(r => r.Id).ToHashSet();
        var outcomes = new List<BulkOutcome>();
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var resource) || hidden.Contains(id)) { outcomes.Add(new(id, "not-found", null)); continue; }
            try
            {
                // An entry failing the checks stays where it is (its problem list is saved with the others' moves).
                if (await service.StageAsync(resource, action, http.User.Actor(), null, null, http.BearerToken(), ct) is { } failed)
                    outcomes.Add(new(id, "invalid", CatalogingService.Describe(resource.State), failed.Problems));
                else
                    outcomes.Add(new(id, action == WorkflowAction.Approve ? "approved" : "published", CatalogingService.Describe(resource.State)));
            }
            catch (WorkflowConflictException ex)
            {
                outcomes.Add(new(id, "conflict", CatalogingService.Describe(ex.Current)));
            }
        }
        // One record for the request (each entry it moved has its own, staged by the move), in the same transaction.
        http.RequestServices.GetRequiredService<IAuditTrail>().Stage(AuditEvents.For(http,
            action == WorkflowAction.Approve ? AuditActions.BulkApprove : AuditActions.BulkPublish, null, AuditOutcome.Success, Summary(outcomes, hidden)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(outcomes);
    }

    /// <summary>The bulk record's details: how many ids were asked for, and the ids of each outcome (hidden ones apart).</summary>
    private static Dictionary<string, string> Summary(List<BulkOutcome> outcomes, HashSet<Guid> hidden)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["requested"] = outcomes.Count.ToString(CultureInfo.InvariantCulture) };
        foreach (var group in outcomes.GroupBy(o => hidden.Contains(o.Id) ? "hidden" : o.Outcome))
        {
            details[group.Key] = string.Join(",", group.Select(o => o.Id));
            details[group.Key + "Count"] = group.Count().ToString(CultureInfo.InvariantCulture);
        }
        return details;
    }

    private static async Task<Results<Ok<List<BulkOutcome>>, ProblemHttpResult>> GuardedAsync(Func<Task<Results<Ok<List<BulkOutcome>>, ProblemHttpResult>>> run,
        WorkflowAction action, HttpContext http)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (CatalogueProblems.From(ex, null, action) is { } problem)
        {
            // Nothing moved (the transaction was not committed): the request is audited as failed on its own.
            await http.RequestServices.GetRequiredService<IAuditTrail>().WriteAsync(AuditEvents.For(http,
                action == WorkflowAction.Approve ? AuditActions.BulkApprove : AuditActions.BulkPublish, null,
                AuditOutcome.Failed($"{problem.ProblemDetails.Title} ({problem.StatusCode})")), CancellationToken.None);
            return problem;
        }
    }
}
