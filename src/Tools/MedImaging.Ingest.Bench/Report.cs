using System.Globalization;
using System.Text;

namespace MedImaging.Ingest.Bench;

public static class Report
{
    public static string Markdown(string[] args, int instances, int concurrency, int warmup, int prewarm, double meanKb, IReadOnlyList<LoadResult> results,
        DatabaseStats.Durability durability, IReadOnlyList<string> profile)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("# Ingest benchmark: Registration (STOW-RS) vs Orthanc (REST)").AppendLine();
        md.AppendLine(inv, $"Command: `dotnet run -c Release --project src/Tools/MedImaging.Ingest.Bench --{(args.Length == 0 ? "" : " " + string.Join(' ', args))}`  ").AppendLine();
        md.AppendLine(inv, $"Machine: {Machine.Describe()}; Orthanc {OrthancServer.Version()}; run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.  ");
        md.AppendLine(string.Create(inv, $"Workload: {instances} synthetic CT instances per line (64×64×16-bit, ~{meanKb:F1} KiB each, 4 series × 25 per study, UTF-8 Chinese names), ") +
            string.Create(inv, $"{concurrency} client streams with keep-alive, over 127.0.0.1; rate = instances acknowledged after the first {warmup} (warm-up) ÷ time to the last answer. ") +
            "One server runs at a time. Orthanc REST and Registration-1 get the same instances; Orthanc STOW-RS and Registration-10 get a second set of the same shape. " +
            (prewarm > 0 ? string.Create(inv, $"Before its measured lines each server gets {prewarm} other instances, unmeasured (prewarm: the .NET host's JIT settles; `--prewarm 0` measures from a cold start).")
                : "No prewarm: each server is measured from a cold start (`--prewarm 0`).")).AppendLine();
        md.AppendLine("| target | instances / request | instances | measured | instances/s | p50 ms / request | p95 ms / request | failures |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
            md.AppendLine(inv, $"| {r.Target} | {r.PerRequest} | {r.Instances} | {r.Measured} | **{r.Rate:F0}** | {r.P50Ms:F1} | {r.P95Ms:F1} | {r.Failures} |");
        md.AppendLine();
        var orthanc = results.FirstOrDefault(r => r.Target.StartsWith("Orthanc `POST", StringComparison.Ordinal));
        if (orthanc is { Rate: > 0 })
            foreach (var r in results.Where(r => r.Target.StartsWith("Registration", StringComparison.Ordinal)))
                md.AppendLine(inv, $"- {r.Target} ÷ Orthanc REST: **{r.Rate / orthanc.Rate:F2}×** (target ≥ 3×: {(r.Rate >= 3 * orthanc.Rate ? "met" : "not met")})");
        // Same protocol, same batch size: our STOW-RS against Orthanc's.
        var orthancStow = results.FirstOrDefault(r => r.Target.StartsWith("Orthanc STOW", StringComparison.Ordinal));
        var ourStow = results.FirstOrDefault(r => orthancStow is not null && r.Target.StartsWith("Registration", StringComparison.Ordinal) && r.PerRequest == orthancStow.PerRequest);
        if (orthancStow is { Rate: > 0 } && ourStow is not null)
            md.AppendLine(inv, $"- {ourStow.Target} ÷ {orthancStow.Target}: **{ourStow.Rate / orthancStow.Rate:F2}×**");
        foreach (var r in results.Where(r => r.FirstFailure is not null)) md.AppendLine(inv, $"- first failure of {r.Target}: {r.FirstFailure}");
        md.AppendLine().AppendLine(inv, $"Durability (Registration): {durability.Text}").AppendLine();
        md.AppendLine("Where the time goes (CPU per instance over each whole line, warm-up included):").AppendLine();
        foreach (var p in profile) md.AppendLine(inv, $"- {p}");
        return md.ToString();
    }
}
