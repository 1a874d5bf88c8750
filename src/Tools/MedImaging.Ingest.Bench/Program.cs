using System.Globalization;
using MedImaging.Ingest.Bench;
using MedImaging.TestSupport;

// Ingest benchmark: the same synthetic instances into Orthanc (REST POST /instances) and Registration (STOW-RS),
// 5 streams each, one server at a time; sustained instances/s after a warm-up, in several rounds so one noisy second
// on a 2-core machine does not decide the ratio; durability checked in PostgreSQL.
var instances = Option("--instances", 3000);
var rounds = Option("--rounds", 3);
var concurrency = Option("--concurrency", 5);
var batch = Option("--batch", 10);
var warmup = Option("--warmup", Math.Max(50, instances / 10));
// Unmeasured instances each server gets first: a .NET host JIT-compiles its hot paths (and re-compiles them optimised)
// during its first seconds; a native server does not. --prewarm 0 measures from a cold start, as the first runs did.
var prewarm = args.Contains("--prewarm") ? Option("--prewarm", 0) : 8000;
// --registration-only: no Orthanc lines (for profiling Registration); no ratio, so RESULTS.md is left alone.
var registrationOnly = args.Contains("--registration-only");
// --no-audit-trail: Registration without the node's Exchange host appending its audit events (issue 11's "auditing off").
var auditTrail = !args.Contains("--no-audit-trail");
var write = !args.Contains("--no-results") && !registrationOnly;
if (args.Contains("--sql-log")) Environment.SetEnvironmentVariable("MEDCAT_BENCH_SQL_LOG", "1");
var keepLogs = Array.IndexOf(args, "--keep-logs") is var k and >= 0 && k + 1 < args.Length ? Path.GetFullPath(args[k + 1]) : null;
#if DEBUG
const string configuration = "Debug";
#else
const string configuration = "Release";
#endif

LocalEnvironment.Load(Path.Combine(RepositoryRoot.Path, ".local", "env"));
using var cts = new CancellationTokenSource();
await using var cleanup = new Cleanup();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("interrupted: stopping the servers and dropping the database…");
    cts.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => cleanup.RunNow();

var directory = Directory.CreateTempSubdirectory("medcat-ingest-bench-").FullName;
cleanup.Add(() => Directory.Delete(directory, recursive: true));
if (keepLogs is not null)
    cleanup.Add(() =>
    {
        Directory.CreateDirectory(keepLogs);
        foreach (var log in Directory.EnumerateFiles(directory, "*.log", SearchOption.AllDirectories)) File.Copy(log, Path.Combine(keepLogs, Path.GetFileName(log)), overwrite: true);
    });
try
{
    Console.WriteLine($"generating {rounds} × 2 × {instances} synthetic CT instances …");
    // Round r: set A (one per request to both servers) and set B (batched), every UID fresh.
    var sets = Enumerable.Range(0, rounds)
        .Select(r => (A: SyntheticStudies.Generate(instances, seed: 10 * r + 1), B: SyntheticStudies.Generate(instances, seed: 10 * r + 2))).ToList();
    var setWarm = prewarm > 0 ? SyntheticStudies.Generate(prewarm, seed: 3) : [];
    var meanKb = sets[0].A.Average(b => b.Length) / 1024.0;
    var load = new LoadRun(concurrency);
    var results = new List<LoadResult>();
    var profile = new List<string>();

    async Task RunOrthancAsync()
    {
        var orthancDir = Directory.CreateDirectory(Path.Combine(directory, "orthanc")).FullName;
        var (orthanc, orthancUrl) = await OrthancServer.StartAsync(orthancDir, cts.Token);
        cleanup.Add(orthanc.Dispose);
        using var http = LoadRun.Client(orthancUrl, concurrency);
        if (setWarm.Count > 0)
        {
            Console.WriteLine($"Orthanc: prewarming with {setWarm.Count} instances …");
            await load.RunAsync("prewarm", http, setWarm, 1, 0, LoadRun.Orthanc, LoadRun.OrthancFailure, cts.Token);
        }
        for (var round = 1; round <= rounds; round++)
        {
            var cpu0 = orthanc.CpuTime;
            Console.WriteLine($"Orthanc {OrthancServer.Version()} on {orthancUrl}, round {round}: uploading {instances} instances, {concurrency} streams …");
            results.Add(await load.RunAsync("Orthanc `POST /instances`", http, sets[round - 1].A, 1, warmup, LoadRun.Orthanc, LoadRun.OrthancFailure, cts.Token) with { Round = round });
            if (round == rounds)
                profile.Add(string.Create(CultureInfo.InvariantCulture, $"Orthanc process: {(orthanc.CpuTime - cpu0).TotalMilliseconds / instances:F2} ms CPU per instance"));
            if (!File.Exists(OrthancServer.DicomWebPlugin)) continue;
            // The same protocol and batch size as Registration's second line, on the instances that line sends.
            Console.WriteLine($"Orthanc, round {round}: STOW-RS (DICOMweb plugin), {batch} per request, {concurrency} streams …");
            results.Add(await load.RunAsync($"Orthanc STOW-RS (DICOMweb plugin), {batch} per request", http, sets[round - 1].B, batch, warmup,
                p => LoadRun.Stow(p, null, "dicom-web/studies"), LoadRun.StowResponseFailure, cts.Token) with { Round = round });
        }
        orthanc.Dispose();
    }

    // Orthanc alone on the machine.
    if (!registrationOnly) await RunOrthancAsync();

    // Registration alone (PostgreSQL, RabbitMQ and Redis of .local/env).
    var (node, registration, registrationUrl, token, exchange) = await RegistrationServer.StartAsync(directory, configuration,
        n => cleanup.Add(() => n.DisposeAsync().AsTask().GetAwaiter().GetResult()), auditTrail, cts.Token);
    cleanup.Add(registration.Dispose);
    if (exchange is not null) cleanup.Add(exchange.Dispose);
    var stats = new DatabaseStats(node);
    using (var http = LoadRun.Client(registrationUrl, concurrency))
    {
        if (setWarm.Count > 0)
        {
            Console.WriteLine($"Registration: prewarming with {setWarm.Count} instances, half 1 and half {batch} per request …");
            var half = setWarm.Count / 2;
            await load.RunAsync("prewarm", http, setWarm.Take(half).ToList(), 1, 0, p => LoadRun.Stow(p, token), LoadRun.StowFailure, cts.Token);
            await load.RunAsync("prewarm", http, setWarm.Skip(half).ToList(), batch, 0, p => LoadRun.Stow(p, token), LoadRun.StowFailure, cts.Token);
            await stats.SettleAsync();
        }
        for (var round = 1; round <= rounds; round++)
            foreach (var (perRequest, set) in new[] { (1, sets[round - 1].A), (batch, sets[round - 1].B) })
            {
                var before = await stats.SnapshotAsync(registration, exchange);
                Console.WriteLine($"Registration on {registrationUrl}, round {round}: uploading {instances} instances, {perRequest} per request, {concurrency} streams …");
                var result = await load.RunAsync($"Registration STOW-RS, {perRequest} per request", http, set, perRequest, warmup, p => LoadRun.Stow(p, token), LoadRun.StowFailure, cts.Token);
                results.Add(result with { Round = round });
                // CPU per instance of the last round only: the steady state.
                var line = (await stats.SnapshotAsync(registration, exchange)).Per(before, instances, $"Registration, {perRequest} per request");
                Console.WriteLine($"  round {round}: {line}");
                if (round == rounds) profile.Add(line);
            }
    }
    var durability = await stats.DurabilityAsync(rounds * 2 * instances + setWarm.Count);
    if (exchange is not null)
    {
        var trail = await stats.AuditTrailAsync();
        profile.Add(trail);
        Console.WriteLine(trail);
        exchange.Dispose();
    }
    else profile.Add("audit trail: off (--no-audit-trail): the ingest-batch events were emitted but no Exchange host appended them");
    registration.Dispose();

    var report = Report.Markdown(args, instances, rounds, concurrency, warmup, prewarm, meanKb, results, durability, profile);
    Console.WriteLine();
    Console.WriteLine(report);
    if (write)
    {
        var path = Path.Combine(RepositoryRoot.Path, "src", "Tools", "MedImaging.Ingest.Bench", "RESULTS.md");
        // A hand-written "## Analysis" section of the previous file is kept below the new numbers.
        var previous = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        var analysis = previous.IndexOf("\n## Analysis", StringComparison.Ordinal) is var a and >= 0 ? previous[a..] : "";
        await File.WriteAllTextAsync(path, report + analysis);
        Console.WriteLine($"written to {path}");
    }
    return results.Any(r => r.Failures > 0) || !durability.Ok ? 1 : 0;
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    return 130;
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
