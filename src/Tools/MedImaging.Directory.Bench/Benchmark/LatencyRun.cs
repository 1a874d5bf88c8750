using System.Diagnostics;
using System.Text.Json;

namespace MedImaging.Directory.Bench.Benchmark;

/// <summary>One configuration's measurements: every request's latency (client side, send to last byte), by query.</summary>
public sealed record RunResult(long Entries, int Clients, IReadOnlyList<(string Query, double Ms)> Samples, TimeSpan Elapsed, int Errors, string? FirstError)
{
    public double Percentile(double p, string? query = null) => Percentiles.Of([.. Samples.Where(s => query is null || s.Query == query).Select(s => s.Ms)], p);

    public double PerSecond => Samples.Count / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

public static class Percentiles
{
    /// <summary>Nearest-rank percentile (p in 0–100) of the values; NaN for none.</summary>
    public static double Of(double[] values, double p)
    {
        if (values.Length == 0) return double.NaN;
        Array.Sort(values);
        var rank = (int)Math.Ceiling(p / 100 * values.Length);
        return values[Math.Clamp(rank - 1, 0, values.Length - 1)];
    }
}

/// <summary>
/// Runs the query mix from <c>clients</c> concurrent callers, each taking the next query of the mix in turn, until
/// <c>queries</c> requests are answered or <c>duration</c> has passed (after at least one whole pass of the mix).
/// </summary>
public static class LatencyRun
{
    public static async Task<RunResult> RunAsync(HttpClient http, IReadOnlyList<BenchQuery> mix, long entries, int clients, int queries, TimeSpan? duration,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mix);
        var samples = new List<(string, double)>();
        var errors = 0;
        string? firstError = null;
        var next = -1;
        var clock = Stopwatch.StartNew();
        bool More(int i) => duration is { } d ? i < mix.Count || clock.Elapsed < d : i < queries;
        async Task ClientAsync()
        {
            while (Interlocked.Increment(ref next) is var i && More(i))
            {
                var q = mix[i % mix.Count];
                using var request = QueryMix.Request(q.Caller, q.Path);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (samples)
                {
                    if (response.IsSuccessStatusCode) samples.Add((q.Name, ms));
                    else
                    {
                        errors++;
                        firstError ??= $"{q.Name}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync(ct).GetAwaiter().GetResult()}";
                    }
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync, ct)));
        clock.Stop();
        return new RunResult(entries, clients, samples, clock.Elapsed, errors, firstError);
    }

    /// <summary>Each query once, unmeasured: its total, so the report shows what each query finds at this size.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> TotalsAsync(HttpClient http, IReadOnlyList<BenchQuery> mix, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mix);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var q in mix)
        {
            using var request = QueryMix.Request(q.Caller, q.Path);
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            // A failing query is counted as errors in the runs; its total is left out here.
            if (!response.IsSuccessStatusCode) continue;
            using var json = JsonDocument.Parse(body);
            totals[q.Name] = json.RootElement.GetProperty("total").GetInt64();
        }
        return totals;
    }
}
