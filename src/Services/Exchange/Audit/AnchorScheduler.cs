using MedImaging.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace MedImaging.Exchange.Audit;

/// <summary>
/// Anchors the chain head at least every Audit:AnchorInterval while rows arrive, so that the last rows of a quiet node
/// are covered too (the appender anchors every Audit:AnchorEvery rows itself). It looks several times per interval and
/// signs only when the newest anchor is an interval old, so replicas do not sign one head twice (the appender's lock
/// orders them) and the gap between anchors stays close to the interval.
/// </summary>
public sealed class AnchorScheduler(IServiceScopeFactory scopes, ServiceHostContext host, IOptions<ChainOptions> options, ILogger<AnchorScheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (host.Problem is not null || host.Node is null) return;
        var interval = options.Value.AnchorInterval;
        var tick = TimeSpan.FromTicks(Math.Clamp(interval.Ticks / 5, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var anchor = await scope.ServiceProvider.GetRequiredService<IChainAppender>().AnchorHeadAsync(interval, stoppingToken);
                    if (anchor is not null) logger.LogInformation("Anchored the audit chain at row {Sequence} with key {KeyId}", anchor.Sequence, anchor.KeyId);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database away or not migrated yet: the next tick tries again; the rows are anchored late, not lost.
                    logger.LogWarning(ex, "Could not anchor the audit chain; next try in {Tick}", tick);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // host stopping
        }
    }
}
