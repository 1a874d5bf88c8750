using System.Globalization;
using System.Text;

namespace MedImaging.Ingest.Bench;

public static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Markdown(string[] args, int instances, int rounds, int concurrency, int warmup, int prewarm, double meanKb,
        IReadOnlyList<LoadResult> results, DatabaseStats.Durability durability, IReadOnlyList<string> profile)
    {
        var md = new StringBuilder();
        md.AppendLine("# Ingest benchmark: Registration (STOW-RS) vs Orthanc (REST)").AppendLine();
        md.AppendLine(Inv, $"Command: `dotnet run -c Release --project src/Tools/MedImaging.Ingest.Bench --{(args.Length == 0 ? "" : " " + string.Join(' ', args))}`  ").AppendLine();
        md.AppendLine(Inv, $"Machine: {Machine.Describe()}; Orthanc {OrthancServer.Version()}; run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.  ");
        md.AppendLine(string.Create(Inv, $"Workload: {rounds} rounds of {instances} synthetic CT instances per line (64×64×16-bit, ~{meanKb:F1} KiB each, 4 series × 25 per study, UTF-8 Chinese names, every UID fresh), ") +
            string.Create(Inv, $"{concurrency} client streams with keep-alive, over 127.0.0.1; rate = instances acknowledged after the first {warmup} of the line ÷ time from then to the last answer. ") +
            "One server runs at a time, all its rounds in a row. In each round Orthanc REST and Registration-1 get the same instances; Orthanc STOW-RS and Registration-batched get a second set of the same shape. " +
            (prewarm > 0 ? string.Create(Inv, $"Before its first round each server gets {prewarm} other instances, unmeasured (prewarm: the .NET host's JIT settles; `--prewarm 0` measures from a cold start).")
                : "No prewarm: each server's first round starts cold (`--prewarm 0`).")).AppendLine();
        md.AppendLine("| target | round | instances / request | instances | measured | instances/s | p50 ms / request | p95 ms / request | failures |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
            md.AppendLine(Inv, $"| {r.Target} | {r.Round} | {r.PerRequest} | {r.Instances} | {r.Measured} | **{r.Rate:F0}** | {r.P50Ms:F1} | {r.P95Ms:F1} | {r.Failures} |");
        md.AppendLine();
        Ratios(md, results);
        foreach (var r in results.Where(r => r.FirstFailure is not null)) md.AppendLine(Inv, $"- first failure of {r.Target}, round {r.Round}: {r.FirstFailure}");
        md.AppendLine().AppendLine(Inv, $"Durability (Registration): {durability.Text}").AppendLine();
        md.AppendLine("Where the time goes (CPU per instance over the last round's lines, warm-up included):").AppendLine();
        foreach (var p in profile) md.AppendLine(Inv, $"- {p}");
        return md.ToString();
    }

    // Each Registration line against Orthanc REST of the same round (same instances for the one-per-request line), and
    // the batched line against Orthanc's own STOW-RS at the same batch size; the target holds only if every round meets it.
    private static void Ratios(StringBuilder md, IReadOnlyList<LoadResult> results)
    {
        var rest = results.Where(r => r.Target.StartsWith("Orthanc `POST", StringComparison.Ordinal)).ToDictionary(r => r.Round);
        var stow = results.Where(r => r.Target.StartsWith("Orthanc STOW", StringComparison.Ordinal)).ToDictionary(r => r.Round);
        foreach (var line in results.Where(r => r.Target.StartsWith("Registration", StringComparison.Ordinal)).GroupBy(r => r.Target))
        {
            var vsRest = line.Where(r => rest.GetValueOrDefault(r.Round) is { Rate: > 0 }).Select(r => r.Rate / rest[r.Round].Rate).ToList();
            if (vsRest.Count > 0)
                md.AppendLine(Inv, $"- {line.Key} ÷ Orthanc REST, per round: {Each(vsRest)}; median **{Median(vsRest):F2}×**, lowest {vsRest.Min():F2}× " +
                    $"(target ≥ 3×: {(vsRest.All(x => x >= 3) ? "met in every round" : $"met in {vsRest.Count(x => x >= 3)} of {vsRest.Count} rounds")})");
            var vsStow = line.Where(r => stow.GetValueOrDefault(r.Round) is { Rate: > 0 } s && s.PerRequest == r.PerRequest)
                .Select(r => r.Rate / stow[r.Round].Rate).ToList();
            if (vsStow.Count > 0)
                md.AppendLine(Inv, $"- {line.Key} ÷ Orthanc STOW-RS (DICOMweb plugin) at the same batch size, per round: {Each(vsStow)}; median **{Median(vsStow):F2}×**");
        }
    }

    private static string Each(List<double> ratios) => string.Join(", ", ratios.Select(x => x.ToString("F2", Inv) + "×"));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
