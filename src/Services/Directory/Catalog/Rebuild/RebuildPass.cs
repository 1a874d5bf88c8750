using System.Globalization;
using MedImaging.Contracts.Audit;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Catalog.Rebuild;

/// <summary>
/// One rebuild (ADR 0024): every page of Registration's feed is written as it is — Registration is the truth, whatever
/// version the row holds — each page in its own transaction under the exclusive write lock (<see cref="CatalogLocks"/>),
/// with the run's progress; then this node's own rows still shown that the feed did not carry, and that were published
/// before the run began, are tombstoned as withdrawn. Entries replicated from other nodes are not touched.
/// </summary>
internal sealed class RebuildPass(IServiceScopeFactory scopes, TimeProvider clock, ILogger log)
{
    public const string PageSizeKey = "Directory:Rebuild:PageSize";
    private const int RemovalBatch = 1000;

    public async Task RunAsync(Guid runId, DateTimeOffset startedAt, AuditEventRecorded started, CancellationToken ct)
    {
        // The ids the feed carried: 16 bytes an entry (a million entries, some 40 MB while the run lasts).
        var fed = new HashSet<Guid>();
        try
        {
            string? cursor = null;
            do cursor = await WritePageAsync(runId, cursor, fed, ct);
            while (cursor is not null);
            await RemoveUnfedAsync(runId, startedAt, fed, ct);
            await FinishAsync(runId, started, RebuildState.Succeeded, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await FinishAsync(runId, started, RebuildState.Interrupted, "its host stopped before it finished");
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Rebuild {RunId} failed", runId);
            await FinishAsync(runId, started, RebuildState.Failed, ex.Message);
        }
    }

    private async Task<string?> WritePageAsync(Guid runId, string? cursor, HashSet<Guid> fed, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<DirectoryDbContext>();
        var writer = services.GetRequiredService<CatalogWriter>();
        var node = services.GetRequiredService<ServiceHostContext>().RequiredNode.NodeId;
        var size = services.GetRequiredService<IConfiguration>().GetValue(PageSizeKey, 500);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Taken before Registration is asked: a fact a consumer applies is in this answer already, or comes after it.
        await CatalogLocks.ExclusiveAsync(db, ct);
        var page = await services.GetRequiredService<RegistrationFeed>().ReadAsync(cursor, size, ct);
        foreach (var record in page.Items)
        {
            if (record.OriginNode != node)
                throw new RegistrationFeedException($"Registration's feed answered entry {record.ResourceId} of node '{record.OriginNode}'; this node is '{node}'.");
            await writer.ReplaceAsync(record, ct);
            fed.Add(record.ResourceId);
        }
        var run = await db.RebuildRuns.SingleAsync(r => r.Id == runId, ct);
        run.Pages++;
        run.EntriesWritten += page.Items.Count;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return page.NextCursor;
    }

    private async Task RemoveUnfedAsync(Guid runId, DateTimeOffset startedAt, HashSet<Guid> fed, CancellationToken ct)
    {
        var after = Guid.Empty;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
            var node = scope.ServiceProvider.GetRequiredService<ServiceHostContext>().RequiredNode.NodeId;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await CatalogLocks.ExclusiveAsync(db, ct);
            // Published before the run began, yet not in the feed: Registration has it no longer published. One published
            // since then was read by a consumer after the feed passed its place; it stays.
            var rows = await db.CatalogEntries
                .Where(e => e.OriginNode == node && e.State == CatalogEntryState.Published && e.PublishedAt < startedAt && e.ResourceId > after)
                .OrderBy(e => e.ResourceId).Take(RemovalBatch).ToListAsync(ct);
            if (rows.Count == 0) return;
            var now = clock.GetUtcNow();
            var removed = rows.Where(e => !fed.Contains(e.ResourceId)).Count(e => e.ApplyWithdrawal(e.RecordVersion, now));
            var run = await db.RebuildRuns.SingleAsync(r => r.Id == runId, ct);
            run.EntriesRemoved += removed;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            after = rows[^1].ResourceId;
        }
    }

    // The end of the run and its audit record, in one transaction; never cancelled (the host waits for it when it stops).
    private async Task FinishAsync(Guid runId, AuditEventRecorded started, RebuildState state, string? error)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        var run = await db.RebuildRuns.SingleAsync(r => r.Id == runId);
        run.State = state;
        run.FinishedAt = clock.GetUtcNow();
        run.LastError = error is { Length: > 2000 } ? error[..2000] : error;
        scope.ServiceProvider.GetRequiredService<IAuditTrail>().Stage(started with
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = run.FinishedAt.Value,
            Outcome = state == RebuildState.Succeeded ? AuditOutcome.Success : AuditOutcome.Failed($"{state.ToString().ToLowerInvariant()}: {run.LastError}"),
            Details = new Dictionary<string, string>
            {
                ["phase"] = "finished",
                ["pages"] = run.Pages.ToString(CultureInfo.InvariantCulture),
                ["entriesWritten"] = run.EntriesWritten.ToString(CultureInfo.InvariantCulture),
                ["entriesRemoved"] = run.EntriesRemoved.ToString(CultureInfo.InvariantCulture),
            },
        });
        await db.SaveChangesAsync();
        log.LogInformation("Rebuild {RunId} {State}: {Pages} pages, {Written} entries written, {Removed} removed", runId, state, run.Pages, run.EntriesWritten, run.EntriesRemoved);
    }
}
