using MedImaging.Contracts.Audit;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Registration.Auditing;

/// <summary>
/// What Registration tells the node's audit trail (issue 11 item 4): catalogue entries as audit resources, the workflow
/// actions' names, and the reads that are audited (entries classified restricted or above, and fetches of hidden ones).
/// Never a patient's data: an entry is named by its id, 资源标识符, classification and institution only.
/// </summary>
public static class RegistrationAudit
{
    public const string EntryKind = "catalogue-entry";
    public const string BatchKind = "acquisition-batch";
    public const string VaultKind = "phi-vault";

    /// <summary>Why a caller got a 404 for an entry that exists (the caller is not told; the regulator is).</summary>
    public const string HiddenReason = "hidden by clearance/institution";

    public static AuditResource Entry(Guid id, string? identifier, string? classification, string? institution) => new()
    {
        Kind = EntryKind, Id = id.ToString(), Identifier = identifier, Classification = classification, Institution = institution,
    };

    public static AuditResource Entry(Resource r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Entry(r.Id, r.ResourceIdentifier, r.SecurityClassification, r.Institution);
    }

    public static string ActionOf(WorkflowAction action) => action switch
    {
        WorkflowAction.Catalogue => AuditActions.EntryCatalogue,
        WorkflowAction.Register => AuditActions.EntryRegister,
        WorkflowAction.Approve => AuditActions.EntryApprove,
        WorkflowAction.Reject => AuditActions.EntryReject,
        WorkflowAction.Publish => AuditActions.EntryPublish,
        WorkflowAction.Revise => AuditActions.EntryRevise,
        WorkflowAction.Withdraw => AuditActions.EntryWithdraw,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Reads of entries classified restricted or above are audited (an unknown code ranks above all: audited too).</summary>
    public static bool ReadIsAudited(string? classification) => SecurityLevels.Rank(classification) >= SecurityLevels.Rank(SecurityLevels.Restricted);

    /// <summary>
    /// One entry-read event per audited entry a read returned (a detail, a history, or each entry of a list page), written
    /// through the outbox now — reads have no transaction — in one fresh scope, like <see cref="IAuditTrail.WriteAsync"/>.
    /// </summary>
    public static async Task WriteReadsAsync(HttpContext http, IEnumerable<AuditResource> entries, string view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var audited = entries.Where(e => ReadIsAudited(e.Classification)).ToList();
        if (audited.Count == 0) return;
        await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        foreach (var entry in audited)
        {
            var evt = AuditEvents.For(http, AuditActions.EntryRead, entry, AuditOutcome.Success, new Dictionary<string, string> { ["view"] = view });
            db.Set<OutboxMessage>().Add(OutboxMessage.For(evt, evt.CorrelationId));
        }
        // Written even when the caller has hung up: the entries were read.
        await db.SaveChangesAsync(CancellationToken.None);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Whether <paramref name="entry"/> is hidden from the caller; a hidden one (it exists, the caller may not see it) is
    /// audited as <paramref name="action"/> denied, and the caller gets the same 404 as for a missing entry.
    /// </summary>
    public static async Task<bool> HiddenAsync(HttpContext http, Resource? entry, string action, string view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (entry is null) return true;
        if (http.User.Scope().MaySee(entry.SecurityClassification, entry.Institution)) return false;
        await http.RequestServices.GetRequiredService<IAuditTrail>().WriteAsync(AuditEvents.For(http, action, Entry(entry),
            AuditOutcome.Denied(HiddenReason), new Dictionary<string, string> { ["view"] = view }), ct);
        return true;
    }
}
