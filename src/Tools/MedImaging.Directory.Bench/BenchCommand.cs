using System.Globalization;
using MedImaging.Directory.Bench.Benchmark;
using MedImaging.Directory.Bench.Generation;
using MedImaging.Ingest.Bench;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Bench;

/// <summary>
/// <c>bench [--sizes 10000,100000,1000000] [--clients 1,8] [--queries N | --duration S] [--warmup P] [--seed S] [--no-results]</c>:
/// a throwaway node, its Directory host as a real process, the catalogue grown to each size with <c>generate</c>'s
/// loader, and the fixed query mix timed through the JSON search API at each size and client count.
/// </summary>
public static class BenchCommand
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public static async Task<int> RunAsync(Options o, string[] args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(o);
        var sizes = o.Numbers("--sizes", [10_000, 100_000, 1_000_000]).Order().ToArray();
        var clients = o.Numbers("--clients", [1, 8]).Select(c => (int)c).ToArray();
        var queries = (int)o.Number("--queries", 320);
        TimeSpan? duration = o.Text("--duration") is not null ? TimeSpan.FromSeconds(o.Number("--duration", 30)) : null;
        var warmup = (int)o.Number("--warmup", 2);
        var seed = (int)o.Number("--seed", 1);
        var loadBefore = LoadAverage();

        await using var cleanup = new Cleanup();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cleanup.RunNow();
        var directory = System.IO.Directory.CreateTempSubdirectory("medcat-directory-bench-").FullName;
        cleanup.Add(() => System.IO.Directory.Delete(directory, recursive: true));
        Console.WriteLine("starting a throwaway node and its Directory host …");
        var (node, host, url) = await DirectoryServer.StartAsync(directory, Configuration,
            n => cleanup.Add(() => n.DisposeAsync().AsTask().GetAwaiter().GetResult()), ct);
        cleanup.Add(host.Dispose);
        var catalog = new SyntheticCatalog(NodeTiers.Load(node.TierFile), ClassificationScheme.Load(), Vocabulary.Load(), seed);
        Console.WriteLine($"words from: {catalog.Words.Source}; nodes {string.Join(", ", catalog.Nodes.Select(n => n.NodeId))}");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        var callers = QueryMix.Callers(node);
        var institution = catalog.Nodes[0].Institutions[0].Code;
        var child = catalog.Nodes.Count > 1 ? catalog.Nodes[1].NodeId : catalog.Nodes[0].NodeId;

        var results = new List<SizeResult>();
        var problems = new List<string>();
        IReadOnlyList<BenchQuery> mix = [];
        long loaded = 0;
        try
        {
            await MeasureAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException)
        {
            // The host's log goes with the throwaway node: show its end, where the cause of a 500 is.
            Console.Error.WriteLine($"{ex.Message}\n--- end of the Directory host's log ---");
            foreach (var line in File.ReadLines(host.LogPath).TakeLast(60)) Console.Error.WriteLine(line);
            return 1;
        }

        async Task MeasureAsync()
        {
        foreach (var size in sizes)
        {
            Console.WriteLine($"loading entries {loaded:N0}…{size - 1:N0} …");
            var load = await CatalogLoader.LoadAsync(node.PostgresConnectionString, catalog, loaded, size - loaded, 5000, Console.WriteLine, ct,
                writers: GenerateCommand.DefaultWriters);
            loaded = size;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {load.Rows:N0} entries in {load.Elapsed.TotalSeconds:F1} s: {load.PerSecond:N0} entries/s ({load.CpuPerEntry})"));
            var vacuum = await CatalogLoader.VacuumAnalyzeAsync(node.PostgresConnectionString, ct);
            // The host's search index (ADR 0030) follows the read model; measured once it holds every loaded entry.
            var index = await IndexCatchUp.WaitAsync(http, node, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  search index: {index.Entries:N0} entries, caught up {index.Waited.TotalSeconds:F1} s after the load"));
            string? deep = null;
            try
            {
                deep = await QueryMix.DeepCursorAsync(http, callers.First(c => c.Name == "confidential"), ct);
            }
            catch (InvalidOperationException ex)
            {
                // Measured without the deep page rather than not at all; the report says why.
                problems.Add($"{size:N0} entries: no deep page: {ex.Message[..Math.Min(ex.Message.Length, 300)]}");
                Console.Error.WriteLine(problems[^1]);
            }
            mix = QueryMix.Build(callers, institution, child, deep);
            var totals = await LatencyRun.TotalsAsync(http, mix, ct);
            if (warmup > 0) await LatencyRun.RunAsync(http, mix, size, 1, mix.Count * warmup, null, ct);
            var runs = new List<RunResult>();
            foreach (var c in clients)
            {
                var run = await LatencyRun.RunAsync(http, mix, size, c, queries, duration, ct);
                runs.Add(run);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {size:N0} entries, {c} client(s): {run.Samples.Count} requests, p50 {run.Percentile(50):F1} ms, p95 {run.Percentile(95):F1} ms, p99 {run.Percentile(99):F1} ms, {run.PerSecond:F1}/s, {run.Errors} errors"));
            }
            // What the host holds once the mix has filled its index caches (match sets, sort and facet columns).
            var memory = ResidentBytes(host.Id);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Directory host resident memory: {(memory is { } m ? $"{m / 1048576.0:N0} MiB" : "?")}"));
            results.Add(new SizeResult(size, load, vacuum, index, totals, runs, memory));
        }
        }

        var report = BenchReport.Markdown(args, catalog.Words.Source, loadBefore, LoadAverage(), mix, results, problems);
        Console.WriteLine();
        Console.WriteLine(report);
        if (!o.Has("--no-results"))
        {
            var path = Path.Combine(RepositoryRoot.Path, "src", "Tools", "MedImaging.Directory.Bench", "RESULTS.md");
            // A hand-written "## Analysis" section of the previous file is kept below the new numbers.
            var previous = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : "";
            var analysis = previous.IndexOf("\n## Analysis", StringComparison.Ordinal) is var a and >= 0 ? previous[a..] : "";
            await File.WriteAllTextAsync(path, report + analysis, ct);
            Console.WriteLine($"written to {path}");
        }
        return results.SelectMany(r => r.Runs).Any(r => r.Errors > 0) ? 1 : 0;
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    // VmRSS of a process on this machine (Linux /proc), null where unreadable.
    private static long? ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
