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
/// generated on the CPUs while earlier ones are copied by several writers, each on its own connection (binary COPY, one
/// transaction per batch). PostgreSQL parses and indexes a COPY on one backend; two backends use both cores. The
/// writers commit in batch order, so a long load shows progress and a failure keeps exactly the batches before it
/// (the later ones roll back): rerun with <c>--start</c> at the first entry not loaded to continue.
/// </summary>
public static class CatalogLoader
{
    public static async Task<LoadResult> LoadAsync(string connectionString, SyntheticCatalog catalog, long start, long count, int batchSize,
        Action<string>? progress, CancellationToken ct, int writers = 1)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        writers = Math.Max(1, writers);
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < writers; i++)
            {
                var c = new NpgsqlConnection(connectionString);
                connections.Add(c);
                await c.OpenAsync(ct);
            }
            var copy = await CatalogCopy.PrepareAsync(connections[0], ct);
            var backendsBefore = connections.Select(c => ProcessCpu.Of(c.ProcessID)).ToList();
            var processBefore = ProcessCpu.Own();
            var batches = Channel.CreateBounded<(long Number, CatalogEntry[] Rows)>(new BoundedChannelOptions(writers + 1) { SingleWriter = true });
            // A writer that fails stops the generator too (it would wait on a full channel for ever).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var clock = Stopwatch.StartNew();
            var producer = Task.Run(async () =>
            {
                try
                {
                    long number = 0;
                    for (var from = start; from < start + count; from += batchSize)
                    {
                        var n = (int)Math.Min(batchSize, start + count - from);
                        var rows = new CatalogEntry[n];
                        var first = from;
                        Parallel.For(0, n, new ParallelOptions { CancellationToken = stop.Token }, i => rows[i] = CatalogRows.From(catalog.Entry(first + i)));
                        await batches.Writer.WriteAsync((number++, rows), stop.Token);
                    }
                    batches.Writer.Complete();
                }
                catch (Exception ex)
                {
                    batches.Writer.Complete(ex);
                }
            }, stop.Token);
            var order = new CommitOrder();
            long written = 0;
            var lastReport = TimeSpan.Zero;
            var progressLock = new object();
            async Task WriteAsync(NpgsqlConnection connection)
            {
                await foreach (var (number, rows) in batches.Reader.ReadAllAsync(ct))
                {
                    await using var tx = await connection.BeginTransactionAsync(ct);
                    try
                    {
                        await copy.WriteAsync(connection, rows, ct);
                    }
                    catch
                    {
                        order.Done(number, committed: false);
                        await stop.CancelAsync();
                        throw;
                    }
                    // Commit only after every earlier batch did: the table then always holds a prefix of the load.
                    if (!await order.EarlierCommittedAsync(number))
                    {
                        order.Done(number, committed: false);
                        return;
                    }
                    await tx.CommitAsync(ct);
                    order.Done(number, committed: true);
                    lock (progressLock)
                    {
                        written += rows.Length;
                        if (progress is not null && (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5) || written == count))
                        {
                            lastReport = clock.Elapsed;
                            progress($"  {written:N0} / {count:N0} entries, {written / clock.Elapsed.TotalSeconds:N0}/s");
                        }
                    }
                }
            }
            await Task.WhenAll(connections.Select(WriteAsync));
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ct.ThrowIfCancellationRequested();
            await producer;
            clock.Stop();
            TimeSpan? backendCpu = backendsBefore.Any(b => b is null) ? null
                : connections.Select((c, i) => (ProcessCpu.Of(c.ProcessID) ?? TimeSpan.Zero) - backendsBefore[i]!.Value).Aggregate(TimeSpan.Zero, (a, b) => a + b);
            return new LoadResult(written, clock.Elapsed, copy.Notes, ProcessCpu.Own() - processBefore, backendCpu);
        }
        finally
        {
            foreach (var c in connections) await c.DisposeAsync();
        }
    }

    /// <summary>Batch n may commit once batches 0 … n − 1 have; when one of them failed, it must not.</summary>
    private sealed class CommitOrder
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<long, TaskCompletionSource<bool>> _done = new();

        public Task<bool> EarlierCommittedAsync(long number) => number == 0 ? Task.FromResult(true) : Of(number - 1).Task;

        public void Done(long number, bool committed) => Of(number).TrySetResult(committed && (number == 0 || Of(number - 1).Task is { IsCompleted: true, Result: true }));

        private TaskCompletionSource<bool> Of(long number) => _done.GetOrAdd(number, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
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
