using MedImaging.Contracts.Audit;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Directory.Discovery;

/// <summary>
/// What serving records leaves behind: a View per record in the usage counts (statistics, §4.8.6 f–g), an entry-read
/// audit event per record classified restricted or above (as Registration audits its reads of such entries), and — for
/// a bulk hand-out — one export event. The audit events go to the outbox together, in a fresh scope: a read has no
/// transaction of its own, and they are written even when the caller hung up.
/// </summary>
public sealed class ServedRecords(ICatalogUsage usage, IServiceScopeFactory scopes)
{
    public const string EntryKind = "catalogue-entry";
    public const string ResultSetKind = "result-set";

    /// <summary>Why a caller got a 404 for an entry that exists (the caller is not told; the regulator is).</summary>
    public const string HiddenReason = "hidden by clearance/institution";

    public static bool ReadIsAudited(string? classification) => SecurityLevels.Rank(classification) >= SecurityLevels.Rank(SecurityLevels.Restricted);

    public static AuditResource Resource(CatalogEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new AuditResource
        {
            Kind = EntryKind, Id = e.ResourceId.ToString(), Identifier = e.ResourceIdentifier, Classification = e.SecurityClassification, Institution = e.Institution,
        };
    }

    public async Task RecordAsync(HttpContext http, IReadOnlyList<CatalogEntry> served, IReadOnlyDictionary<string, string> details,
        AuditEventRecorded? export, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(served);
        await usage.RecordAsync(UsageKind.View, [.. served.Select(e => new EntryKey(e.OriginNode, e.ResourceId))], http.User.Scope(), ct);
        var events = served.Where(e => ReadIsAudited(e.SecurityClassification))
            .Select(e => AuditEvents.For(http, AuditActions.EntryRead, Resource(e), AuditOutcome.Success,
                new Dictionary<string, string>(details, StringComparer.Ordinal) { ["originNode"] = e.OriginNode }))
            .ToList();
        if (export is not null) events.Add(export);
        await WriteAsync(events, ct);
    }

    /// <summary>A fetch of an entry that exists but is hidden from the caller: audited as a denied read (the caller sees a plain 404).</summary>
    public Task DeniedAsync(HttpContext http, CatalogEntry hidden, IReadOnlyDictionary<string, string> details, CancellationToken ct) =>
        WriteAsync([AuditEvents.For(http, AuditActions.EntryRead, Resource(hidden), AuditOutcome.Denied(HiddenReason),
            new Dictionary<string, string>(details, StringComparer.Ordinal) { ["originNode"] = hidden.OriginNode })], ct);

    private async Task WriteAsync(List<AuditEventRecorded> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        foreach (var evt in events) db.Set<OutboxMessage>().Add(OutboxMessage.For(evt, evt.CorrelationId));
        // Written even when the caller has hung up: the records were served.
        await db.SaveChangesAsync(CancellationToken.None);
        ct.ThrowIfCancellationRequested();
    }
}
