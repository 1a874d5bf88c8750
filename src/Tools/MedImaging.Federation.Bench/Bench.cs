using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Federation.Bench;

/// <summary>
/// Issue 13's two federation numbers on the demo federation: how long after a county publishes an entry the province's
/// Directory shows it (county → city → province, two hops over the shovels), and how long a distributed query at the
/// province takes (province, city and counties asked through their gateways).
/// </summary>
public static class Bench
{
    public static async Task<int> RunAsync(string repo, string countyId, string provinceId, int count, int queries)
    {
        using var county = DemoNode.Load(repo, countyId);
        using var province = DemoNode.Load(repo, provinceId);
        var reader = await province.AsAsync("regulator");
        var latencies = new List<double>();
        Console.WriteLine($"publish → visible: {count} public CT entries published one at a time at {countyId}, polled every 5 ms at {provinceId}");
        for (var i = 0; i < count; i++)
        {
            var id = await county.PrepareAsync($"联邦基准 {DateTime.UtcNow:HHmmss} {i:D4} 胸部CT", "2.2.1", "public");
            var watch = Stopwatch.StartNew();
            await county.StepAsync(id, "publish", "publisher");
            while (true)
            {
                using var r = await reader.GetAsync($"/api/directory/records/{countyId}/{id}");
                if (r.StatusCode == HttpStatusCode.OK) break;
                if (watch.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{id} not visible at {provinceId} after 60 s");
                await Task.Delay(5);
            }
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }
        Report("county publish → province visible", latencies);

        var fanOut = new List<double>();
        var partial = 0;
        for (var i = 0; i < queries; i++)
        {
            var watch = Stopwatch.StartNew();
            var answer = await reader.GetFromJsonAsync<JsonObject>("/api/directory/search?q=%E8%83%B8%E9%83%A8CT&mode=distributed&limit=20");
            fanOut.Add(watch.Elapsed.TotalMilliseconds);
            if (answer!["partial"]!.GetValue<bool>()) partial++;
        }
        Report($"distributed query at {provinceId} (胸部CT, 20 hits; {partial} of {queries} partial)", fanOut);
        return 0;
    }

    private static void Report(string what, List<double> ms)
    {
        ms.Sort();
        double P(double p) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(p * ms.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={ms.Count} p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {ms[^1]:F1} ms"));
    }
}
