using System.Diagnostics;
using MedImaging.Directory.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// Keeps this instance's index in step with the read model (ADR 0030). Every write of a catalogue row takes the next
/// number of the change feed under a shared advisory lock held to its commit (a trigger, so consumers, rebuilds and bulk
/// loads alike). The feeder holds that lock exclusively for a moment: no numbered change is in flight then, so every
/// number up to the sequence's value is settled, and it reads the rows up to there: a change that commits late with a
/// lower number is never skipped.
/// </summary>
public sealed class CatalogIndexFeeder(CatalogIndex index, IServiceScopeFactory scopes, ILogger<CatalogIndexFeeder> log) : BackgroundService
{
    /// <summary>The last change committed: a search waits for the index to reach it (deletions count too).</summary>
    public const string Head = $"""
        SELECT greatest((SELECT max(change_seq) FROM {DirectoryDbContext.Schema}.catalog_entries),
                        (SELECT max(change_seq) FROM {DirectoryDbContext.Schema}.catalog_deletions), 0)
        """;

    /// <summary>Reads <see cref="Head"/> on the context's connection.</summary>
    public static async Task<long> HeadAsync(DirectoryDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand(Head, (NpgsqlConnection)db.Database.GetDbConnection());
            return (long)(await cmd.ExecuteScalarAsync(ct))!;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // Changed rows and deletions ('*': the table was truncated) in change-feed order.
    private const string Changed = $"""
        SELECT * FROM (
          SELECT change_seq, origin_node, resource_id, state = 'Published' AS published, kind, title, abstract, keywords,
                 security_classification, institution, institution_name, classification_code, category, subcategory, modalities,
                 body_parts, study_date, study_instance_uid, study_description, published_at
          FROM {DirectoryDbContext.Schema}.catalog_entries WHERE change_seq > @after AND change_seq <= @horizon
          UNION ALL
          SELECT change_seq, origin_node, coalesce(resource_id, '00000000-0000-0000-0000-000000000000'), false, '', '', NULL, NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, deleted_at
          FROM {DirectoryDbContext.Schema}.catalog_deletions WHERE change_seq > @after AND change_seq <= @horizon
        ) AS c ORDER BY change_seq LIMIT @limit
        """;

    // Waits out the writers in flight (not longer than the lock timeout: writers queue behind a waiting exclusive lock).
    private static readonly string[] Horizon =
    [
        "SET LOCAL lock_timeout = '250ms'",
        $"SELECT pg_advisory_xact_lock('{DirectoryDbContext.Schema}.catalog_entries'::regclass::oid::bigint)",
        $"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {DirectoryDbContext.Schema}.catalog_change_seq",
    ];

    // Deletions an index must have applied to resume: one saved before them is rebuilt instead (they may be pruned).
    private const string PrunedThrough = $"SELECT pruned_through FROM {DirectoryDbContext.Schema}.catalog_deletions_pruned";

    // Deletions past the retention that this instance has applied; any other instance has too, or is so far behind
    // (older than the retention) that it rebuilds.
    private const string Prune = $"""
        WITH gone AS (
          DELETE FROM {DirectoryDbContext.Schema}.catalog_deletions
          WHERE deleted_at < now() - @retention AND change_seq <= @applied RETURNING change_seq)
        UPDATE {DirectoryDbContext.Schema}.catalog_deletions_pruned
          SET pruned_through = greatest(pruned_through, coalesce((SELECT max(change_seq) FROM gone), 0)), pruned_at = now()
        RETURNING (SELECT count(*) FROM gone)
        """;

    // Which database the index belongs to: a new or recreated catalogue table is another one.
    private const string Identity = $"SELECT current_database() || '/' || '{DirectoryDbContext.Schema}.catalog_entries'::regclass::oid::text";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? database = null;
        var failures = 0;
        var lastCommit = Stopwatch.StartNew();
        Stopwatch? lastPrune = null;
        var options = index.Options;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
                await db.Database.OpenConnectionAsync(stoppingToken);
                var conn = (NpgsqlConnection)db.Database.GetDbConnection();
                if (database is null)
                {
                    await using var cmd = new NpgsqlCommand(Identity, conn);
                    database = (string)(await cmd.ExecuteScalarAsync(stoppingToken))!;
                    index.Open(database);
                }
                await ResumableAsync(conn, stoppingToken);
                var started = Stopwatch.GetTimestamp();
                var applied = 0;
                var horizon = await HorizonAsync(conn, stoppingToken);
                while (horizon is { } settled && index.Watermark < settled && !stoppingToken.IsCancellationRequested)
                {
                    var batch = await ReadAsync(conn, index.Watermark, settled, options.BatchSize, stoppingToken);
                    // The last batch moves the position to the horizon itself: the numbers after its last row are settled too.
                    index.Apply(batch, batch.Count == options.BatchSize ? batch[^1].ChangeSeq : settled);
                    applied += batch.Count;
                }
                if (applied > 1000)
                    log.LogInformation("Catalogue index: {Count} entry changes applied in {Elapsed:F1} s, change feed at {Watermark}", applied,
                        Stopwatch.GetElapsedTime(started).TotalSeconds, index.Watermark);
                if (applied > 0 && lastCommit.Elapsed >= options.CommitInterval)
                {
                    index.Commit(database);
                    lastCommit.Restart();
                }
                if (lastPrune is null || lastPrune.Elapsed >= options.PruneInterval)
                {
                    await PruneAsync(conn, stoppingToken);
                    lastPrune = Stopwatch.StartNew();
                }
                failures = 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is NpgsqlException or InvalidOperationException or IOException or TimeoutException or ArgumentException)
            {
                // PostgreSQL away, or the schema not migrated yet: searches run in PostgreSQL meanwhile (or fail as they would).
                failures++;
                log.LogWarning(ex, "Catalogue index feeder failed ({Failures} in a row); searches use PostgreSQL until it catches up", failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, failures * 2)), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await index.WaitForWakeAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (database is not null && index.IsOpen) index.Commit(database);
    }

    // An index saved before deletions that have since been pruned cannot replay them: rebuild it from the table.
    private async Task ResumableAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(PrunedThrough, conn);
        var pruned = (long)(await cmd.ExecuteScalarAsync(ct))!;
        if (index.Watermark <= 0 || index.Watermark >= pruned) return;
        log.LogWarning("Catalogue index at change {Watermark} is older than the deletions kept (pruned through {Pruned}); rebuilding it from the table",
            index.Watermark, pruned);
        index.Reset();
    }

    private async Task PruneAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Prune, conn);
        cmd.Parameters.AddWithValue("retention", index.Options.DeletionRetention);
        cmd.Parameters.AddWithValue("applied", index.Watermark);
        var pruned = (long)(await cmd.ExecuteScalarAsync(ct))!;
        if (pruned > 0) log.LogInformation("Catalogue index: {Count} deletions older than {Retention} pruned from the change feed", pruned, index.Options.DeletionRetention);
    }

    // The settled horizon, or null when writers held the lock past the timeout (the next round tries again).
    private async Task<long?> HorizonAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            object? horizon = null;
            foreach (var sql in Horizon)
            {
                await using var cmd = new NpgsqlCommand(sql, conn, tx);
                horizon = await cmd.ExecuteScalarAsync(ct);
            }
            await tx.CommitAsync(ct);
            return (long)horizon!;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            log.LogDebug("Catalogue index: writers held the change feed past the lock timeout; trying again");
            return null;
        }
    }

    private static async Task<List<IndexedEntry>> ReadAsync(NpgsqlConnection conn, long after, long horizon, int limit, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Changed, conn);
        cmd.Parameters.AddWithValue("after", after);
        cmd.Parameters.AddWithValue("horizon", horizon);
        cmd.Parameters.AddWithValue("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<IndexedEntry>();
        while (await r.ReadAsync(ct))
            rows.Add(new IndexedEntry(
                r.GetInt64(0), r.GetString(1), r.GetGuid(2), r.GetBoolean(3), r.GetString(4), r.GetString(5), Text(r, 6),
                Array(r, 7), Text(r, 8), Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12), Text(r, 13), Array(r, 14), Array(r, 15),
                r.IsDBNull(16) ? null : r.GetFieldValue<DateOnly>(16), Text(r, 17), Text(r, 18), r.GetFieldValue<DateTimeOffset>(19)));
        return rows;
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static string[] Array(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? [] : r.GetFieldValue<string[]>(i);
}
