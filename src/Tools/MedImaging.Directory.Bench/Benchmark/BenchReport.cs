using System.Globalization;
using System.Text;
using MedImaging.Directory.Bench.Generation;
using System.Runtime.InteropServices;

namespace MedImaging.Directory.Bench.Benchmark;

/// <summary>What one size of the catalogue gave: its load, the totals of the mix's queries, and the runs per client count.</summary>
public sealed record SizeResult(long Entries, LoadResult Load, TimeSpan Vacuum, IndexCatchUp Index, IReadOnlyDictionary<string, long> Totals, IReadOnlyList<RunResult> Runs,
    long? HostMemoryBytes = null);

public static class BenchReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const double TargetP95Ms = 30;

    public static string Markdown(string[] args, string vocabulary, string loadBefore, string loadAfter, IReadOnlyList<BenchQuery> mix, IReadOnlyList<SizeResult> sizes,
        IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var md = new StringBuilder();
        md.AppendLine("# Directory search benchmark: JSON search API, fixed query mix").AppendLine();
        md.AppendLine(Inv, $"Command: `dotnet run -c Release --project src/Tools/MedImaging.Directory.Bench -- {string.Join(' ', args)}`  ");
        md.AppendLine(Inv, $"Machine: {Machine()}; run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average before {loadBefore}, after {loadAfter} (other work on the machine counts in every number).  ");
        md.AppendLine(Inv, $"Catalogue: synthetic entries of `generate` (words from {vocabulary}), grown size by size in one throwaway node; the Directory host is a real process (Production settings) on the real PostgreSQL; ");
        md.AppendLine("latency = client-side time of `GET /search` over 127.0.0.1 (send to last byte), callers of every clearance in turn; each client takes the next query of the mix in turn.").AppendLine();

        md.AppendLine("## Loading (binary COPY through `generate`)").AppendLine();
        md.AppendLine("| entries after | added | seconds | entries/s | CPU per entry | VACUUM ANALYZE s | search index caught up after s | index entries | Directory host RSS after the runs |");
        md.AppendLine("| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (var s in sizes)
            md.AppendLine(Inv, $"| {s.Entries:N0} | {s.Load.Rows:N0} | {s.Load.Elapsed.TotalSeconds:F1} | **{s.Load.PerSecond:N0}** | {s.Load.CpuPerEntry} | {s.Vacuum.TotalSeconds:F1} | {s.Index.Waited.TotalSeconds:F1} | {s.Index.Entries:N0} | {(s.HostMemoryBytes is { } m ? $"{m / 1048576.0:N0} MiB" : "?")} |");
        foreach (var note in sizes.SelectMany(s => s.Load.Notes).Distinct(StringComparer.Ordinal)) md.AppendLine(Inv, $"- {note}");
        md.AppendLine();

        md.AppendLine("## Latency of the mix").AppendLine();
        md.AppendLine("| entries | clients | requests | errors | p50 ms | p95 ms | p99 ms | max ms | requests/s |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in sizes.SelectMany(s => s.Runs))
            md.AppendLine(Inv, $"| {r.Entries:N0} | {r.Clients} | {r.Samples.Count} | {r.Errors} | {r.Percentile(50):F1} | **{r.Percentile(95):F1}** | {r.Percentile(99):F1} | {r.Percentile(100):F1} | {r.PerSecond:F1} |");
        md.AppendLine();
        foreach (var r in sizes.SelectMany(s => s.Runs).Where(r => r.FirstError is not null))
            md.AppendLine(Inv, $"- first error at {r.Entries:N0} / {r.Clients} clients: {r.FirstError![..Math.Min(r.FirstError!.Length, 400)]}");
        foreach (var p in problems) md.AppendLine(Inv, $"- {p}");
        Targets(md, sizes);

        md.AppendLine("## Per query (p50 / p95 ms with one client; hits for the caller)").AppendLine();
        md.Append("| query | caller |");
        foreach (var s in sizes) md.Append(Inv, $" {s.Entries:N0}: hits | p50 / p95 |");
        md.AppendLine().Append("| --- | --- |").AppendLine(string.Concat(sizes.Select(_ => " ---: | ---: |")));
        foreach (var q in mix)
        {
            md.Append(Inv, $"| {q.Name} | {q.Caller.Name} |");
            foreach (var s in sizes)
            {
                var one = s.Runs.FirstOrDefault(r => r.Clients == 1) ?? (s.Runs.Count > 0 ? s.Runs[0] : null);
                md.Append(Inv, $" {(s.Totals.TryGetValue(q.Name, out var t) ? t.ToString("N0", Inv) : "–")} | {(one is null ? "–" : $"{one.Percentile(50, q.Name):F1} / {one.Percentile(95, q.Name):F1}")} |");
            }
            md.AppendLine();
        }
        return md.ToString();
    }

    private static string Machine()
    {
        static string Line(string file, string key) => File.Exists(file)
            ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?" : "?";
        return $"{Environment.ProcessorCount} cores ({Line("/proc/cpuinfo", "model name")}), {Line("/proc/meminfo", "MemTotal")} RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    // Issue 12: p95 ≤ 30 ms at 1M entries, and p95 at 1M no more than twice p95 at 10k; per client count.
    private static void Targets(StringBuilder md, IReadOnlyList<SizeResult> sizes)
    {
        var smallest = sizes.MinBy(s => s.Entries);
        var largest = sizes.MaxBy(s => s.Entries);
        if (smallest is null || largest is null) return;
        md.AppendLine(Inv, $"Targets (issue 12), at the largest size measured ({largest.Entries:N0}{(largest.Entries < 1_000_000 ? ", not the 1,000,000 the target names" : "")}):").AppendLine();
        foreach (var run in largest.Runs)
        {
            var p95 = run.Percentile(95);
            var baseRun = smallest.Runs.FirstOrDefault(r => r.Clients == run.Clients);
            var ratio = baseRun is null ? double.NaN : p95 / baseRun.Percentile(95);
            md.AppendLine(Inv, $"- {run.Clients} client(s): p95 {p95:F1} ms {(p95 <= TargetP95Ms ? "≤" : ">")} {TargetP95Ms} ms: **{(p95 <= TargetP95Ms ? "met" : "not met")}**; "
                + $"p95 {largest.Entries:N0} / p95 {smallest.Entries:N0} = {ratio:F2} {(ratio <= 2 ? "≤" : ">")} 2: **{(ratio <= 2 ? "met" : "not met")}**");
        }
        md.AppendLine();
    }
}
