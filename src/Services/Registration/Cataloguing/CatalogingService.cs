using System.Globalization;
using System.Net;
using MedImaging.Contracts;
using MedImaging.Contracts.Registration;
using MedImaging.Contracts.Audit;
using MedImaging.Registration.Auditing;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using E = MedImaging.Registration.Domain.MetadataElements;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// Moves catalogue entries through §4.5.1: each step checked against the workflow and, from cataloguing on, against the
/// Metadata service's completeness and conformance checks (§4.8.2 d); recorded (who, when, why) and announced through
/// the outbox in the same transaction as the state change. Register, approve and publish move only a passing entry;
/// catalogue and revise record what is missing without blocking, since the entry then stays with its cataloguer.
/// </summary>
public sealed class CatalogingService(RegistrationDbContext db, IOutbox outbox, ServiceHostContext host, AutoCataloguer auto,
    IMetadataService metadata, InstitutionRegistry institutions, ClassificationMemo classifications, IAuditTrail audit, IHttpContextAccessor requests)
{
    /// <summary>Applies an action; null when the entry does not exist or <paramref name="scope"/> may not see it (audited as
    /// denied). Throws <see cref="WorkflowConflictException"/>, <see cref="CatalogueCheckFailedException"/> (after saving the
    /// problem list) or <see cref="MetadataUnavailableException"/>.</summary>
    public async Task<Resource?> ApplyAsync(Guid id, WorkflowAction action, CallerScope scope, string actor, string? reason,
        IReadOnlyDictionary<string, string>? values, string bearerToken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        // Workflow actions on one entry run one at a time, from the read to the commit, Metadata calls included: a second
        // action waits, then sees the first one's outcome (a register that lost the race is a 409 and never makes Metadata
        // issue a second identifier, whose serial would be consumed for nothing). Ingest does not wait (CatalogueEntryLocks).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockEntriesAsync([id], ct);
        var resource = await db.Resources.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (resource is null) return null;
        if (!scope.MaySee(resource.SecurityClassification, resource.Institution))
        {
            if (requests.HttpContext is { } http)
                await audit.WriteAsync(AuditEvents.For(http, RegistrationAudit.ActionOf(action), RegistrationAudit.Entry(resource), AuditOutcome.Denied(RegistrationAudit.HiddenReason)), ct);
            return null;
        }
        CheckOwnInstitution(scope, values);
        var failed = await StageAsync(resource, action, actor, reason, values, bearerToken, ct);
        // The failed check's problem list is saved: its audit record goes with it.
        if (failed is not null) Audit(resource, RegistrationAudit.ActionOf(action), AuditOutcome.Failed($"checks failed against {failed.CheckedAgainst}: "
            + string.Join(", ", failed.Problems.Where(p => !p.Advisory).Select(p => p.ElementId).Distinct())), null);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return failed is null ? resource : throw failed;
    }

    /// <summary>
    /// Stages an action on a tracked entry (the caller saves, so bulk actions commit together). A failed check leaves
    /// the state as it was, records the problems on the entry and is returned rather than thrown.
    /// </summary>
    public async Task<CatalogueCheckFailedException?> StageAsync(Resource resource, WorkflowAction action, string actor, string? reason,
        IReadOnlyDictionary<string, string>? values, string bearerToken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Precheck(resource, action, reason, values);
        if (action is WorkflowAction.Reject or WorkflowAction.Withdraw)
        {
            Commit(resource, action, actor, reason);
            return null;
        }
        if (values is { Count: > 0 }) resource.ApplyManual(values, actor);
        var study = resource.StudyId is { } studyId ? await db.Studies.SingleOrDefaultAsync(s => s.Id == studyId, ct) : null;
        if (action is WorkflowAction.Catalogue or WorkflowAction.Register)
            await auto.ApplyAsync(resource, study, await SeriesDescriptionsAsync(study, ct), bearerToken, ct);
        var (against, problems) = await CheckAsync(resource, study, bearerToken, ct);
        // A re-classification's problems stand until cataloguing re-derives the classification (ADR 0009): a frozen
        // record whose classification the scheme has overtaken is not approved or published as it is.
        if (action is not (WorkflowAction.Catalogue or WorkflowAction.Register))
            problems = [.. problems, .. resource.Problems.Where(p => p.Kind == Reclassifier.ProblemKind)];
        if (action == WorkflowAction.Register && resource.ResourceIdentifier is null && !Blocking(problems))
            problems = [.. problems, .. await AssignIdentifierAsync(resource, bearerToken, ct)];
        resource.RecordCheck(problems, against);
        if (Blocking(problems) && action is WorkflowAction.Register or WorkflowAction.Approve or WorkflowAction.Publish)
            return new CatalogueCheckFailedException(resource.Id, resource.State, action, against, problems);
        Commit(resource, action, actor, reason);
        return null;
    }

    /// <summary>
    /// A database, document or dataset catalogued by hand (§4.8.2 a): created catalogued when its record passes the
    /// checks (the identifier comes at registration), else nothing is stored and the problems are thrown.
    /// </summary>
    public async Task<Resource> CreateAsync(ResourceKind kind, IReadOnlyDictionary<string, string>? values, string? institution,
        CallerScope scope, string actor, string bearerToken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        // Hospital staff catalogue for their own institution: by default, and never for another.
        if (scope.Institution is { } own)
        {
            if (string.IsNullOrWhiteSpace(institution)) institution = own;
            else if (!string.Equals(institution.Trim(), own, StringComparison.OrdinalIgnoreCase))
                throw new ValidationProblemException("institution", $"'{institution}' is another institution; your token limits you to institution {own}.");
        }
        CheckOwnInstitution(scope, values);
        if (kind == ResourceKind.ImagingStudy)
            throw new ValidationProblemException("kind", "Imaging studies are catalogued from what the PACS pushes (STOW-RS or DICOM JSON), not by hand.");
        if (values is not { Count: > 0 }) throw new ValidationProblemException("values", "Give the entry's metadata: element id → value.");
        Precheck(null, WorkflowAction.Catalogue, null, values);
        var resource = new Resource { Kind = kind };
        resource.ApplyManual(values, actor);
        if (institution is not null)
            resource.ApplyAutomatic(AutoCataloguer.PointOfContact(institutions.Find(institution)
                ?? throw new ValidationProblemException("institution", $"'{institution}' is not an institution of this node's registry ({string.Join(", ", institutions.All.Select(i => i.Code))})."),
                "named by the cataloguer"));
        await auto.ApplyAsync(resource, null, [], bearerToken, ct);
        var (against, problems) = await CheckAsync(resource, null, bearerToken, ct);
        if (Blocking(problems)) throw new CatalogueCheckFailedException(resource.Id, resource.State, WorkflowAction.Catalogue, against, problems);
        resource.RecordCheck(problems, against);
        db.Resources.Add(resource);
        Commit(resource, WorkflowAction.Catalogue, actor, null, AuditActions.EntryCreate);
        await db.SaveChangesAsync(ct);
        return resource;
    }

    private static void Precheck(Resource? resource, WorkflowAction action, string? reason, IReadOnlyDictionary<string, string>? values)
    {
        // Values change only while a cataloguer holds the entry (catalogue, or revise which reopens it).
        if (values is { Count: > 0 } && action is not (WorkflowAction.Catalogue or WorkflowAction.Revise))
            throw new ValidationProblemException("values", $"{action} does not take metadata values; catalogue or revise the entry to change them.");
        if (values?.ContainsKey(E.ResourceId) == true)
            throw new ValidationProblemException($"values.{E.ResourceId}", "资源标识符 (Resource ID) is issued by the Metadata service at registration and never changes; it cannot be entered.");
        if (Workflow.NeedsReason(action) && string.IsNullOrWhiteSpace(reason))
            throw new ValidationProblemException("reason", $"{action} must say why (reason).");
        if (resource is not null && !Workflow.Allows(action, resource.State)) throw new WorkflowConflictException(resource.Id, resource.State, action);
    }

    /// <summary>
    /// The Metadata service's check of the entry's record against the active version of its set, and Registration's own
    /// requirements (<see cref="CatalogueRequirements"/>): one list for every step, so catalogue reports what register refuses.
    /// </summary>
    private async Task<(string Against, IReadOnlyList<CatalogueProblem> Problems)> CheckAsync(Resource resource, Study? study, string bearerToken, CancellationToken ct)
    {
        var set = CatalogueRecord.SetFor(resource.Kind);
        var version = await db.ActiveMetadataSets.Where(s => s.SetCode == set).Select(s => (int?)s.Version).FirstOrDefaultAsync(ct);
        var result = await metadata.ValidateAsync(set, version, CatalogueRecord.Build(resource.Values), bearerToken, ct);
        // The identifier is the one mandatory element nobody enters: it is issued when the entry registers.
        var problems = result.Problems
            .Where(p => !(resource.ResourceIdentifier is null && p.ElementId == E.ResourceId && p.Kind == "missing")).ToList();
        var scheme = await classifications.SchemeAsync(metadata, bearerToken, ct);
        // Metadata already names a missing or malformed category code; the requirement says what register needs of it.
        var requirements = CatalogueRequirements.Check(resource, study, scheme, host.Node?.GatewayUrl);
        problems.RemoveAll(p => p.ElementId == E.CategoryCode && requirements.Any(r => r.ElementId == E.CategoryCode));
        problems.AddRange(requirements);
        return ($"{result.SetCode} v{result.Version.ToString(CultureInfo.InvariantCulture)}", problems);
    }

    /// <summary>
    /// 资源标识符 (§4.8.2 c, §4.9.3): an OID under the entry's 细目, issued once — the check has already required a live 细目,
    /// so only a refusal the check could not foresee (a node withdrawn a moment ago) is a problem here.
    /// </summary>
    private async Task<IReadOnlyList<CatalogueProblem>> AssignIdentifierAsync(Resource resource, string bearerToken, CancellationToken ct)
    {
        var code = resource.Value(E.CategoryCode)!;
        try
        {
            var issued = await metadata.IssueIdentifierAsync(code, $"registration of catalogue entry {resource.Id}", bearerToken, ct);
            resource.AssignIdentifier(issued.Oid, $"issued by the Metadata service under 细目 {code} at registration (后段码 {issued.Serial})");
            return [];
        }
        catch (MetadataRejectedException ex) when (ex.Status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity)
        {
            return [CategoryProblem(ex.Detail)];
        }
    }

    private static CatalogueProblem CategoryProblem(string detail) => CatalogueProblem.Classification(E.CategoryCode, "identifier", detail);

    private static bool Blocking(IReadOnlyList<CatalogueProblem> problems) => problems.Any(p => !p.Advisory);

    private async Task<IReadOnlyList<string?>> SeriesDescriptionsAsync(Study? study, CancellationToken ct) => study is null ? []
        : await db.Series.AsNoTracking().Where(s => s.StudyId == study.Id && s.InstanceCount > 0).Select(s => s.SeriesDescription).ToListAsync(ct);

    /// <summary>
    /// An action that changed nothing (a conflict, Metadata unavailable or refusing), audited as failed on its own: there
    /// is no transaction to stage it in.
    /// </summary>
    public async Task AuditFailedAsync(Guid id, WorkflowAction action, string reason, CancellationToken ct)
    {
        if (requests.HttpContext is not { } http) return;
        var entry = await db.Resources.AsNoTracking().Where(r => r.Id == id)
            .Select(r => RegistrationAudit.Entry(r.Id, r.ResourceIdentifier, r.SecurityClassification, r.Institution)).SingleOrDefaultAsync(ct);
        await audit.WriteAsync(AuditEvents.For(http, RegistrationAudit.ActionOf(action), entry ?? RegistrationAudit.Entry(id, null, null, null),
            AuditOutcome.Failed(reason)), ct);
    }

    // An institution-bound caller cannot hand an entry to another institution (nor take its institution away) by value.
    private static void CheckOwnInstitution(CallerScope scope, IReadOnlyDictionary<string, string>? values)
    {
        if (scope.Institution is { } own && values?.TryGetValue(E.OrganizationCode, out var code) == true
            && !string.Equals(code?.Trim(), own, StringComparison.OrdinalIgnoreCase))
            throw new ValidationProblemException($"values.{E.OrganizationCode}", $"'{code}' is not your institution; your token limits you to institution {own}.");
    }

    // Staged in the request's outbox: written by the SaveChanges that writes the change (issue 11 item 3).
    private void Audit(Resource resource, string action, AuditOutcome outcome, IReadOnlyDictionary<string, string>? details)
    {
        if (requests.HttpContext is { } http) audit.Stage(AuditEvents.For(http, action, RegistrationAudit.Entry(resource), outcome, details));
    }

    private void Commit(Resource resource, WorkflowAction action, string actor, string? reason, string? auditAction = null)
    {
        var from = resource.Transition(action, actor, reason);
        Audit(resource, auditAction ?? RegistrationAudit.ActionOf(action), AuditOutcome.Success, new Dictionary<string, string>
        {
            ["from"] = Describe(from), ["to"] = Describe(resource.State), ["recordVersion"] = resource.RecordVersion.ToString(CultureInfo.InvariantCulture),
        });
        var step = new ResourceTransition
        {
            ResourceId = resource.Id, Action = action, FromState = from, ToState = resource.State,
            RecordVersion = resource.RecordVersion, Actor = actor, Reason = reason,
        };
        db.ResourceTransitions.Add(step);
        // The fact happened when the step did: the published-entries feed dates each record by its step (ADR 0024).
        if (Event(resource, action, from, actor, reason) is { } e) outbox.Enqueue(e with { OccurredAt = step.At });
    }

    private IntegrationEvent? Event(Resource r, WorkflowAction action, WorkflowState from, string actor, string? reason)
    {
        var origin = host.RequiredNode.NodeId;
        return action switch
        {
            WorkflowAction.Register => new ResourceRegistered { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Title = r.Title, Actor = actor, ResourceIdentifier = r.ResourceIdentifier },
            WorkflowAction.Approve => new ResourceApproved { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Actor = actor },
            WorkflowAction.Reject => new ResourceRejected { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Actor = actor, Reason = reason! },
            WorkflowAction.Revise => new ResourceRevised { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, PreviousState = from.ToString(), Actor = actor, Reason = reason },
            WorkflowAction.Withdraw => new ResourceWithdrawn { OriginNode = origin, ResourceId = r.Id, RecordVersion = r.RecordVersion, Actor = actor, Reason = reason! },
            WorkflowAction.Publish => Published(r, origin, actor),
            _ => null,
        };
    }

    private ResourcePublished Published(Resource r, string origin, string actor)
    {
        var study = r.StudyId is not { } studyId ? null
            : db.Studies.Local.FirstOrDefault(s => s.Id == studyId) ?? db.Studies.AsNoTracking().Single(s => s.Id == studyId);
        var series = study is null ? [] : db.Series.AsNoTracking().Where(s => s.StudyId == study.Id).ToList();
        return PublishedRecord.From(r, study, series, origin, actor);
    }

    public static string Describe(WorkflowState state) => state.ToString().ToLower(CultureInfo.InvariantCulture);
}

/// <summary>An entry that fails the Metadata service's checks for an action that needs a complete record; becomes a 422.</summary>
public sealed class CatalogueCheckFailedException(Guid resourceId, WorkflowState current, WorkflowAction action, string checkedAgainst,
    IReadOnlyList<CatalogueProblem> problems)
    : Exception($"Resource {resourceId}: {action} needs a complete, conforming record; {problems.Count} element(s) fail against {checkedAgainst}.")
{
    public Guid ResourceId { get; } = resourceId;
    public WorkflowState Current { get; } = current;
    public WorkflowAction Action { get; } = action;
    public string CheckedAgainst { get; } = checkedAgainst;
    public IReadOnlyList<CatalogueProblem> Problems { get; } = problems;
}
