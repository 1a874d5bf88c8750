using MedImaging.Contracts.Audit;
using MedImaging.Registration.Auditing;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Apis;

/// <summary>Catalogue entries and their workflow (§4.5.1): each step its own route, gated by the role that takes it.</summary>
public static class ResourcesApi
{
    public sealed record TransitionRequest(string? Reason, Dictionary<string, string>? Values);

    /// <summary>A resource catalogued by hand: its kind, its values by element id, optionally the registry code of its 负责方.</summary>
    public sealed record CreateRequest(string? Kind, Dictionary<string, string>? Values, string? Institution);

    public sealed record ResourceView(Guid Id, Guid? StudyId, ResourceKind Kind, string? ResourceIdentifier, WorkflowState State, int RecordVersion, string Title,
        IReadOnlyList<AssignedValue> Values, IReadOnlyList<CatalogueProblem> Problems, string? CheckedAgainst, DateTimeOffset? CheckedAt,
        string? LastReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? UpdatedBy, string? SecurityClassification, string? Institution)
    {
        public static ResourceView From(Resource r) => new(r.Id, r.StudyId, r.Kind, r.ResourceIdentifier, r.State, r.RecordVersion, r.Title, r.Values,
            r.Problems, r.CheckedAgainst, r.CheckedAt, r.LastReason, r.CreatedAt, r.UpdatedAt, r.UpdatedBy, r.SecurityClassification, r.Institution);

        public AuditResource ToAuditResource() => RegistrationAudit.Entry(Id, ResourceIdentifier, SecurityClassification, Institution);
    }

    public static IEndpointRouteBuilder MapResourcesApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/resources").WithTags("Catalogue entries");
        g.MapGet("/", List).WithName("ListResources").WithSummary("Catalogue entries, by state, paged").RequireAuthorization(RegistrationPolicies.Read);
        g.MapPost("/", Create).WithName("CreateResource")
            .WithSummary("Catalogue a database, document or research dataset by hand (§4.8.2 a): element id → value; checked by the Metadata service")
            .RequireAuthorization(Policies.Catalogue);
        g.MapGet("/{id:guid}", Get).WithName("GetResource").WithSummary("One catalogue entry with its values and rules").RequireAuthorization(RegistrationPolicies.Read);
        g.MapGet("/{id:guid}/history", History).WithName("GetResourceHistory").WithSummary("Workflow steps: who, when, why").RequireAuthorization(RegistrationPolicies.Read);
        Map(g, "catalogue", WorkflowAction.Catalogue, Policies.Catalogue, "Complete or correct the values (prepared → catalogued)");
        Map(g, "register", WorkflowAction.Register, Policies.Catalogue, "Register a catalogued entry (→ registered, awaits review)");
        Map(g, "approve", WorkflowAction.Approve, Policies.Review, "Approve a registered entry");
        Map(g, "reject", WorkflowAction.Reject, Policies.Review, "Reject a registered entry, with a reason");
        Map(g, "publish", WorkflowAction.Publish, Policies.Publish, "Publish an approved entry into the directory");
        Map(g, "revise", WorkflowAction.Revise, Policies.Catalogue, "Reopen a rejected, approved, published or withdrawn entry (new record version)");
        Map(g, "withdraw", WorkflowAction.Withdraw, Policies.Publish, "Withdraw a published entry, with a reason");
        return app;
    }

    private static void Map(RouteGroupBuilder g, string verb, WorkflowAction action, string policy, string summary)
        => g.MapPost($"/{{id:guid}}/{verb}", (Guid id, TransitionRequest? body, CatalogingService service, HttpContext http, CancellationToken ct)
                => TransitionAsync(id, action, body, service, http, ct))
            .WithName($"{action}Resource").WithSummary(summary).RequireAuthorization(policy);

    public static async Task<Results<Ok<ResourceView>, ProblemHttpResult>> TransitionAsync(Guid id, WorkflowAction action,
        TransitionRequest? body, CatalogingService service, HttpContext http, CancellationToken ct)
    {
        try
        {
            // Missing, or hidden from this caller (audited as denied inside): the same 404 either way.
            var resource = await service.ApplyAsync(id, action, http.User.Scope(), http.User.Actor(), body?.Reason, body?.Values, http.BearerToken(), ct);
            return resource is null ? NotFound(id) : TypedResults.Ok(ResourceView.From(resource));
        }
        catch (WorkflowConflictException ex)
        {
            await service.AuditFailedAsync(id, action, $"conflict: entry is {CatalogingService.Describe(ex.Current)}", ct);
            return Conflict(ex);
        }
        catch (Exception ex) when (CatalogueProblems.From(ex, id, action) is { } problem)
        {
            // A failed check is audited in the transaction that saved its problem list; the others changed nothing.
            if (ex is not CatalogueCheckFailedException) await service.AuditFailedAsync(id, action, $"{problem.ProblemDetails.Title} ({problem.StatusCode})", ct);
            return problem;
        }
    }

    public static async Task<Results<Created<ResourceView>, ProblemHttpResult>> Create(CreateRequest body, CatalogingService service, HttpContext http, CancellationToken ct)
    {
        var kind = QueryValues.Parse<ResourceKind>("kind", body.Kind)
            ?? throw new ValidationProblemException("kind", "Say what the resource is: database, document, dataset or other.");
        try
        {
            var resource = await service.CreateAsync(kind, body.Values, body.Institution, http.User.Scope(), http.User.Actor(), http.BearerToken(), ct);
            return TypedResults.Created($"/resources/{resource.Id}", ResourceView.From(resource));
        }
        catch (Exception ex) when (CatalogueProblems.From(ex, null, WorkflowAction.Catalogue) is { } problem)
        {
            return problem;
        }
    }

    public static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "Not found", detail: $"There is no catalogue entry {id}.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(WorkflowConflictException ex) => TypedResults.Problem(
        title: "Invalid workflow transition", statusCode: StatusCodes.Status409Conflict,
        detail: $"Resource {ex.ResourceId} is '{CatalogingService.Describe(ex.Current)}'; '{ex.Action.ToString().ToLowerInvariant()}' would make it '{CatalogingService.Describe(ex.Requested)}', which is not allowed from '{CatalogingService.Describe(ex.Current)}'.",
        extensions: new Dictionary<string, object?>
        {
            ["resourceId"] = ex.ResourceId, ["currentState"] = CatalogingService.Describe(ex.Current),
            ["requestedState"] = CatalogingService.Describe(ex.Requested), ["action"] = ex.Action.ToString().ToLowerInvariant(),
        });

    public static async Task<Ok<Paged<ResourceView>>> List(RegistrationDbContext db, HttpContext http, string? state, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var q = db.Resources.AsNoTracking().VisibleTo(http.User.Scope());
        if (QueryValues.Parse<WorkflowState>("state", state) is { } s) q = q.Where(r => r.State == s);
        var page = await q.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToPagedAsync(paging, ResourceView.From, ct);
        await RegistrationAudit.WriteReadsAsync(http, page.Items.Select(v => v.ToAuditResource()), "list", ct);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<ResourceView>, ProblemHttpResult>> Get(Guid id, RegistrationDbContext db, HttpContext http, CancellationToken ct)
    {
        var entry = await db.Resources.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (await RegistrationAudit.HiddenAsync(http, entry, AuditActions.EntryRead, "detail", ct)) return NotFound(id);
        await RegistrationAudit.WriteReadsAsync(http, [RegistrationAudit.Entry(entry!)], "detail", ct);
        return TypedResults.Ok(ResourceView.From(entry!));
    }

    /// <summary>The entry's workflow steps; a missing or hidden entry is a 404 (an empty list would say it may exist).</summary>
    public static async Task<Results<Ok<Paged<ResourceTransition>>, ProblemHttpResult>> History(Guid id, RegistrationDbContext db, HttpContext http,
        [AsParameters] PageQuery paging, CancellationToken ct)
    {
        // A bad page or size is a 400 whatever the id, as on every list.
        paging.Checked();
        var entry = await db.Resources.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (await RegistrationAudit.HiddenAsync(http, entry, AuditActions.EntryRead, "history", ct)) return NotFound(id);
        var page = await db.ResourceTransitions.AsNoTracking().Where(t => t.ResourceId == id).OrderBy(t => t.At).ThenBy(t => t.Id).ToPagedAsync(paging, ct);
        await RegistrationAudit.WriteReadsAsync(http, [RegistrationAudit.Entry(entry!)], "history", ct);
        return TypedResults.Ok(page);
    }
}

/// <summary>Enum query values as the API writes them (camelCase), or as declared; anything else is a 400 naming the parameter.</summary>
public static class QueryValues
{
    public static T? Parse<T>(string name, string? value) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) return parsed;
        throw new ValidationProblemException(name, $"'{value}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.");
    }
}
