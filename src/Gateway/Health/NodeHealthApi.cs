using System.Diagnostics;
using MedImaging.ServiceDefaults.Health;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MedImaging.Gateway.Health;

/// <summary>
/// GET /api/health: the gateway's own readiness plus each service's /health/ready, fetched in parallel. 200 when all
/// are healthy, 503 otherwise; a service that does not answer is reported with the reason, never left out. Only an
/// administrator's token sees the services, their internal URLs and errors (and the services' own details, since the
/// token is passed on to their probes); anyone else gets the node's status alone.
/// </summary>
public static class NodeHealthApi
{
    public const string HttpClientName = "node-health";

    public sealed record ServiceHealth(string Status, int? HttpStatus, int Ms, string? Url, string? Error);
    public sealed record NodeHealth(string Node, string Status, IReadOnlyDictionary<string, ServiceHealth> Services);

    internal static IServiceCollection AddNodeHealth(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        return services;
    }

    public static IEndpointRouteBuilder MapNodeHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", GetNodeHealth).WithName("GetNodeHealth").WithTags("Health")
            .WithSummary("Readiness of the gateway and of every service of the node").AllowAnonymous();
        return app;
    }

    public sealed record NodeStatus(string Status);

    public static async Task<IResult> GetNodeHealth(
        HttpContext http, ServiceHostContext host, HealthCheckService checks, IHttpClientFactory clients, CancellationToken ct)
    {
        var node = host.RequiredNode;
        var details = HealthExtensions.MaySeeDetails(http.User);
        var authorization = details ? http.Request.Headers.Authorization.ToString() : null;
        var gateway = Self(checks, ct);
        var services = ServiceNames.Apis.Select(async s => (s, await Probe(clients.CreateClient(HttpClientName), new Uri(node.Endpoints[s], "health/ready"), authorization, ct)));
        var results = new Dictionary<string, ServiceHealth> { [ServiceNames.Gateway] = await gateway };
        foreach (var (service, health) in await Task.WhenAll(services))
            results[service] = health;

        var healthy = results.Values.All(r => r.Status == nameof(HealthStatus.Healthy));
        var status = healthy ? nameof(HealthStatus.Healthy) : nameof(HealthStatus.Unhealthy);
        var code = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return details
            ? TypedResults.Json(new NodeHealth(node.NodeId, status, results), statusCode: code)
            : TypedResults.Json(new NodeStatus(status), statusCode: code);
    }

    private static async Task<ServiceHealth> Self(HealthCheckService checks, CancellationToken ct)
    {
        var report = await checks.CheckHealthAsync(r => r.Tags.Contains("ready"), ct);
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}").ToList();
        return new ServiceHealth(report.Status.ToString(), null, (int)report.TotalDuration.TotalMilliseconds, null, failing.Count > 0 ? string.Join("; ", failing) : null);
    }

    private static async Task<ServiceHealth> Probe(HttpClient client, Uri url, string? authorization, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (!string.IsNullOrEmpty(authorization)) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await client.SendAsync(request, ct);
            var status = response.IsSuccessStatusCode ? nameof(HealthStatus.Healthy) : nameof(HealthStatus.Unhealthy);
            return new ServiceHealth(status, (int)response.StatusCode, (int)watch.ElapsedMilliseconds, url.AbsoluteUri,
                response.IsSuccessStatusCode ? null : await response.Content.ReadAsStringAsync(ct));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new ServiceHealth(nameof(HealthStatus.Unhealthy), null, (int)watch.ElapsedMilliseconds, url.AbsoluteUri,
                ex is TaskCanceledException ? "no answer within 5 s" : ex.Message);
        }
    }
}
