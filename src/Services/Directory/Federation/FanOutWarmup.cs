using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;
using Microsoft.Extensions.Options;

namespace MedImaging.Directory.Federation;

/// <summary>
/// Once the host has started: fetches this node's tokens at its children's gateways and runs the query its parent's
/// fan-out will ask (its up rules as a condition), so that the first distributed query after a start does not spend
/// its children's deadline on token requests and query compilation. Failures only log: the query path copes anyway.
/// </summary>
public sealed class FanOutWarmup(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ServiceHostContext host, PeerTokens tokens,
    IOptionsMonitor<FanOutOptions> options, ILogger<FanOutWarmup> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (host.Node is not { } node) return;
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(started.SetResult))
            await started.Task.WaitAsync(stoppingToken);
        foreach (var child in node.Children.Where(options.CurrentValue.Peers.ContainsKey))
        {
            try
            {
                await tokens.GetAsync(child, stoppingToken);
            }
            catch (Exception ex) when (ex is PeerUnavailableException or HttpRequestException or IOException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                log.LogInformation("Fan-out warm-up: no token at {Child} yet ({Error}); the first query will ask", child, ex.Message);
            }
        }
        if (node.Parent is null) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var query = new CatalogQuery { Nodes = [node.NodeId], Where = SharingFilter.Of(node.Routing.Rules(LinkDirection.Up)) };
            await scope.ServiceProvider.GetRequiredService<ICatalogSearch>()
                .SearchAsync(query, new CallerScope(SecurityLevels.Public, node.NodeId, null), new CatalogPage(1), stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            log.LogInformation("Fan-out warm-up: the shared-entries query failed ({Error}); the first query will compile it", ex.Message);
        }
    }
}
