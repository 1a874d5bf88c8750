using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Bench.Benchmark;

/// <summary>How long the Directory host's search index took to hold every loaded entry (<c>GET /admin/index</c>), and how many it holds.</summary>
public sealed record IndexCatchUp(TimeSpan Waited, long Entries)
{
    private sealed record Status(bool Enabled, bool Open, long Entries, long Behind);

    public static async Task<IndexCatchUp> WaitAsync(HttpClient http, NodeTestEnvironment node, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var token = TestTokens.CreateScoped(node, "bench-admin", SecurityLevels.Confidential, null, Roles.Admin);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/index");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            var status = await response.Content.ReadFromJsonAsync<Status>(ct) ?? throw new InvalidOperationException("GET /admin/index answered nothing.");
            if (!status.Enabled || (status.Open && status.Behind == 0)) return new(waited.Elapsed, status.Entries);
            if (waited.Elapsed > TimeSpan.FromMinutes(30)) throw new InvalidOperationException($"The search index is still {status.Behind:N0} changes behind after 30 minutes.");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
