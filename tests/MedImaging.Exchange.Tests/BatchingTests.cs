using System.Diagnostics;
using MassTransit;
using MedImaging.Directory;
using MedImaging.Directory.Infrastructure;
using MedImaging.Exchange.Audit;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// A backlog (the trail was down while the node kept working, or an ingest peak) is appended many events per
/// transaction, not one by one: rows of one append share its recorded_at.
/// </summary>
public sealed class BatchingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Events = 3000;
    private AuditNode _node = null!;

    public async Task InitializeAsync() => _node = await AuditNode.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ABacklogIsAppendedInLargeBatchesEachEventOnce()
    {
        // The trail's queue exists (its host ran once), then the trail is down while the events are published.
        await using (var first = new ServiceFactory<ExchangeServiceMarker>(_node.Node, AuditNode.Defaults))
            await BusReadyAsync(first.Services);
        await using (var directory = new ServiceFactory<DirectoryServiceMarker>(_node.Node))
        {
            await BusReadyAsync(directory.Services);
            for (var from = 1; from <= Events; from += 500)
            {
                await using var scope = directory.Services.CreateAsyncScope();
                var trail = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
                foreach (var e in _node.Events(500, from)) trail.Stage(e);
                await scope.ServiceProvider.GetRequiredService<DirectoryDbContext>().SaveChangesAsync();
            }
            await AuditNode.WaitUntilAsync(async () => await _node.CountAsync("SELECT count(*) FROM directory.outbox_messages WHERE sent_at IS NULL") == 0,
                "every event was published");
        }

        var clock = Stopwatch.StartNew();
        var exchange = _node.Exchange();
        await BusReadyAsync(exchange.Services);
        await AuditNode.WaitUntilAsync(async () => await _node.CountAsync("SELECT count(*) FROM exchange.audit_records") == Events, "the backlog was appended");
        clock.Stop();

        var appends = await _node.CountAsync("SELECT count(DISTINCT recorded_at) FROM exchange.audit_records");
        var busyMs = await _node.CountAsync("SELECT (extract(epoch FROM max(recorded_at) - min(recorded_at)) * 1000)::bigint FROM exchange.audit_records");
        output.WriteLine($"{Events} events appended in {appends} transactions; first to last append {busyMs} ms; " +
                         $"{clock.Elapsed.TotalSeconds:F1} s from the trail's start, including the host's start-up");
        Assert.True(appends <= Events / 10, $"{appends} appends for {Events} events");
        Assert.Equal(Events, await _node.CountAsync("SELECT count(DISTINCT event_id) FROM exchange.audit_records"));
        Assert.Equal(Events, await _node.CountAsync("SELECT max(sequence) FROM exchange.audit_records"));
        await using var verifyScope = exchange.Services.CreateAsyncScope();
        var result = await verifyScope.ServiceProvider.GetRequiredService<ChainVerifier>().VerifyAsync(CancellationToken.None);
        Assert.True(result.Ok, result.FirstProblem?.Detail);
        Assert.Equal(Events / 5, result.AnchorsChecked);
    }

    private static async Task BusReadyAsync(IServiceProvider services)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
    }
}
