using System.Diagnostics;
using System.Threading.Channels;
using MedImaging.Directory.Domain;
using Npgsql;

namespace MedImaging.Directory.Bench.Generation;

/// <summary>
/// What a load did: rows, wall time from the first generated entry to the last commit, what the table check noted, and
/// the CPU time the generator (this process) and the COPY's PostgreSQL backend spent: on a shared machine the wall-time
/// rate says how busy the machine was, the CPU per entry what the load itself costs.
/// </summary>
public sealed record LoadResult(long Rows, TimeSpan Elapsed, IReadOnlyList<string> Notes, TimeSpan GeneratorCpu, TimeSpan? BackendCpu)
{
    public double PerSecond => Rows / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public string CpuPerEntry => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"generator {GeneratorCpu.TotalMilliseconds * 1000 / Math.Max(Rows, 1):F0} µs CPU/entry, PostgreSQL backend {(BackendCpu is { } b ? (b.TotalMilliseconds * 1000 / Math.Max(Rows, 1)).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) : "?")} µs CPU/entry");
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
        var backend = connection.ProcessID;
        var backendBefore = ProcessCpu.Of(backend);
        var processBefore = ProcessCpu.Own();
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
        var backendCpu = ProcessCpu.Of(backend) - backendBefore;
        return new LoadResult(written, clock.Elapsed, copy.Notes, ProcessCpu.Own() - processBefore, backendBefore is null ? null : backendCpu);
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

/// <summary>User + system CPU time of a process (Linux /proc), for processes on this machine such as a PostgreSQL backend.</summary>
public static class ProcessCpu
{
    public static TimeSpan Own()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Null when the process is not on this machine or not readable.</summary>
    public static TimeSpan? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
