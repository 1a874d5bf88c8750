using MedImaging.Contracts.Audit;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MedImaging.Directory.Catalog.Rebuild;

/// <summary>
/// Starts rebuilds of the read model (ADR 0024), one at a time on the node: the run holds a PostgreSQL advisory lock on a
/// connection of its own for as long as it runs, so a second request — on this replica or another — is refused, and a
/// run whose host died leaves no lock behind (its row then reads as interrupted). The pass itself runs in the
/// background (<see cref="RebuildPass"/>); a host that stops cancels it and waits for it to record where it stopped.
/// </summary>
public sealed class CatalogRebuild(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CatalogRebuild> log) : IHostedService, IDisposable
{
    public const string Resource = "directory-read-model";

    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    /// <summary>
    /// Starts a run for the request's caller (audited, with the run's row, in the request's transaction); null when a run
    /// holds the lock.
    /// </summary>
    public async Task<RebuildRun?> TryStartAsync(HttpContext http, DirectoryDbContext db, IAuditTrail audit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(audit);
        var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        try
        {
            await connection.OpenAsync(ct);
            await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = CatalogLocks.Rebuild } } })
                if (await tryLock.ExecuteScalarAsync(ct) is not true)
                {
                    await connection.DisposeAsync();
                    return null;
                }

            // Nobody holds the lock: a row still running is a run whose host stopped before it could say so.
            await db.RebuildRuns.Where(r => r.State == RebuildState.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RebuildState.Interrupted).SetProperty(r => r.LastError, "its host stopped before it finished"), ct);
            var run = new RebuildRun { RequestedBy = http.User.Actor(), StartedAt = clock.GetUtcNow() };
            db.RebuildRuns.Add(run);
            var started = AuditEvents.For(http, AuditActions.DirectoryRebuild, Audited(run), AuditOutcome.Success,
                new Dictionary<string, string> { ["phase"] = "started" });
            audit.Stage(started);
            await db.SaveChangesAsync(ct);

            _running = Task.Run(() => RunAsync(run, started, connection), CancellationToken.None);
            return run;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The latest run, as it stands (a row left running by a host that died reads as interrupted); null when none ran.</summary>
    public static async Task<RebuildRun?> LatestAsync(DirectoryDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var run = await db.RebuildRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(ct);
        if (run is { State: RebuildState.Running } && !await LockHeldAsync(db, ct))
        {
            run.State = RebuildState.Interrupted;
            run.LastError ??= "its host stopped before it finished";
        }
        return run;
    }

    public static AuditResource Audited(RebuildRun run) => new() { Kind = Resource, Id = run.Id.ToString() };

    private async Task RunAsync(RebuildRun run, AuditEventRecorded started, NpgsqlConnection connection)
    {
        try
        {
            await new RebuildPass(scopes, clock, log).RunAsync(run.Id, run.StartedAt, started, _stopping.Token);
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Rebuild {RunId} could not record its end", run.Id);
        }
        finally
        {
            // Closing the connection releases the session's advisory lock.
            await connection.DisposeAsync();
        }
    }

    private static async Task<bool> LockHeldAsync(DirectoryDbContext db, CancellationToken ct)
    {
        // A bigint advisory key shows in pg_locks as classid (high half), objid (low half), objsubid 1, in this database.
        var held = await db.Database.SqlQuery<bool>($"""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND classid::bigint = {CatalogLocks.Rebuild >> 32} AND objid::bigint = {CatalogLocks.Rebuild & 0xFFFFFFFF}) AS "Value"
            """).SingleAsync(ct);
        return held;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();
}
