using System.Diagnostics;
using System.Threading.Channels;
using MedImaging.Directory.Domain;
using Npgsql;

namespace MedImaging.Directory.Bench.Generation;

/// <summary>What a load did: rows, wall time from the first generated entry to the last commit, and what the table check noted.</summary>
public sealed record LoadResult(long Rows, TimeSpan Elapsed, IReadOnlyList<string> Notes)
{
    public double PerSecond => Rows / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// Loads entries <c>[start, start + count)</c> of a <see cref="SyntheticCatalog"/> into a node's read model: batches are
/// generated on the CPUs while the previous one is copied (binary COPY, one transaction per batch, so a long load
/// shows progress and a failure keeps the batches before it; rerun with <c>--start</c> to continue).
/// </summary>
public static class CatalogLoader
{
    public static async Task<LoadResult> LoadAsync(string connectionString, SyntheticCatalog catalog, long start, long count, int batchSize,
        Action<string>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var copy = await CatalogCopy.PrepareAsync(connection, ct);
        var batches = Channel.CreateBounded<CatalogEntry[]>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var clock = Stopwatch.StartNew();
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var from = start; from < start + count; from += batchSize)
                {
                    var n = (int)Math.Min(batchSize, start + count - from);
                    var rows = new CatalogEntry[n];
                    var first = from;
                    Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, i => rows[i] = CatalogRows.From(catalog.Entry(first + i)));
                    await batches.Writer.WriteAsync(rows, ct);
                }
                batches.Writer.Complete();
            }
            catch (Exception ex)
            {
                batches.Writer.Complete(ex);
            }
        }, ct);
        long written = 0;
        var lastReport = TimeSpan.Zero;
        await foreach (var rows in batches.Reader.ReadAllAsync(ct))
        {
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                await copy.WriteAsync(connection, rows, ct);
                await tx.CommitAsync(ct);
            }
            written += rows.Length;
            if (progress is not null && (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5) || written == count))
            {
                lastReport = clock.Elapsed;
                progress($"  {written:N0} / {count:N0} entries, {written / clock.Elapsed.TotalSeconds:N0}/s");
            }
        }
        await producer;
        clock.Stop();
        return new LoadResult(written, clock.Elapsed, copy.Notes);
    }

    /// <summary>Fresh planner statistics and visibility map after a bulk load, as autovacuum would produce a little later.</summary>
    public static async Task<TimeSpan> VacuumAnalyzeAsync(string connectionString, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("VACUUM (ANALYZE) directory.catalog_entries", connection) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
        return clock.Elapsed;
    }
}
