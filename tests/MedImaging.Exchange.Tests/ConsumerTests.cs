using MassTransit;
using MedImaging.Contracts.Audit;
using MedImaging.Directory;
using MedImaging.Directory.Infrastructure;
using MedImaging.Exchange.Audit;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Messaging;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// Audit events staged in another host's outbox (Directory's, through IAuditTrail as every service stages them) cross the
/// real RabbitMQ and become exactly one chain row each, gap-free — also when a delivery comes twice, when the appender
/// fails once, and when the emitting host's relay is stopped half-way and restarted.
/// </summary>
public sealed class ConsumerTests : IAsyncLifetime
{
    private AuditNode _node = null!;
    private IServiceProvider _exchange = null!;

    public async Task InitializeAsync() => _node = await AuditNode.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task EventsStagedInAnotherHostsOutboxArriveAsOneRowEachWithTheirFields()
    {
        _exchange = await BusReadyAsync(_node.Exchange().Services);
        await using var directory = new ServiceFactory<DirectoryServiceMarker>(_node.Node);
        await BusReadyAsync(directory.Services);
        var events = _node.Events(60);

        await StageAsync(directory, events);

        await WaitForRowsAsync(events);
        await AssertChainHoldsExactlyAsync(events);
        var e = events[16];
        Assert.Equal(1, await _node.CountAsync("""
            SELECT count(*) FROM exchange.audit_records
            WHERE event_id = $1 AND node = $2 AND service = 'directory' AND actor_id = 'user-17' AND actor_name = '用户 17'
              AND actor_roles = ARRAY['cataloguer','reviewer'] AND client_id = 'portal' AND actor_institution = '121300004017055782'
              AND actor_clearance = 'restricted' AND action = 'entry-read' AND resource_kind = 'catalogue-entry' AND resource_id = $3
              AND resource_identifier = '2.16.156.10011.2.9.17' AND resource_classification = 'restricted' AND outcome = 'success'
              AND source_address = '127.0.0.1' AND user_agent = 'tests' AND correlation_id = 'corr-17'
              AND details->>'n' = '17' AND details->>'说明' = '读取' AND occurred_at = date_trunc('microseconds', $4::timestamptz)
            """, e.EventId, _node.NodeId, e.Resource!.Id!, e.OccurredAt));
    }

    [Fact]
    public async Task AnEventDeliveredTwiceIsOneRowAndAnUnknownActionIsStillAppended()
    {
        _exchange = await BusReadyAsync(_node.Exchange().Services);
        await using var directory = new ServiceFactory<DirectoryServiceMarker>(_node.Node);
        await BusReadyAsync(directory.Services);
        var twice = _node.Event(1);
        var fromNewerNode = _node.Event(2, action: "model-inference-run");

        // Two outbox rows (two message ids, so no inbox could tell them apart) carrying one event, as a republish does.
        await using (var scope = directory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
            db.Set<OutboxMessage>().AddRange(OutboxMessage.For(twice), OutboxMessage.For(fromNewerNode), OutboxMessage.For(twice));
            await db.SaveChangesAsync();
        }
        var sentinel = _node.Event(3);
        await AuditNode.WaitUntilAsync(async () => await _node.CountAsync("SELECT count(*) FROM directory.outbox_messages WHERE sent_at IS NULL") == 0, "all three were published");
        await StageAsync(directory, [sentinel]);

        await WaitForRowsAsync([sentinel]);
        await AssertChainHoldsExactlyAsync([twice, fromNewerNode, sentinel]);
        Assert.Equal(1, await _node.CountAsync("SELECT count(*) FROM exchange.audit_records WHERE action = 'model-inference-run'"));
    }

    [Fact]
    public async Task WhenTheAppenderFailsOnceAfterCommittingTheRetryAddsNothing()
    {
        var fault = new FaultOnce();
        await using var exchange = _node.Exchange().WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddScoped<ChainAppender>();
            s.AddScoped<IChainAppender>(sp => new FailingAfterAppend(sp.GetRequiredService<ChainAppender>(), fault));
        }));
        _exchange = await BusReadyAsync(exchange.Services);
        await using var directory = new ServiceFactory<DirectoryServiceMarker>(_node.Node);
        await BusReadyAsync(directory.Services);
        var events = _node.Events(30);

        await StageAsync(directory, events);

        await WaitForRowsAsync(events);
        Assert.Equal(1, fault.Injected);
        await AssertChainHoldsExactlyAsync(events);
    }

    [Fact]
    public async Task WhenAnAppendFailsInsideItsTransactionNeitherRowsNorAGapAreLeft()
    {
        _exchange = await BusReadyAsync(_node.Exchange().Services);
        await using var directory = new ServiceFactory<DirectoryServiceMarker>(_node.Node);
        await BusReadyAsync(directory.Services);
        // The first append fails in PostgreSQL after its rows were written: a real error, rolled back with them.
        // Created as the schema's owner role, as a migration would: the run-time role may use what its owner creates.
        await _node.ExecuteAsync($$"""
            SET ROLE "{{_node.Node.Database}}_exchange_owner";
            CREATE SEQUENCE exchange.attempts;
            CREATE FUNCTION exchange.fail_first_append() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('exchange.attempts') = 1 THEN RAISE EXCEPTION 'injected failure'; END IF;
              RETURN NULL;
            END $$;
            CREATE TRIGGER fail_first_append AFTER INSERT ON exchange.audit_records FOR EACH STATEMENT EXECUTE FUNCTION exchange.fail_first_append();
            RESET ROLE;
            """);
        var events = _node.Events(30);

        await StageAsync(directory, events);

        await WaitForRowsAsync(events);
        Assert.True(await _node.CountAsync("SELECT last_value FROM exchange.attempts") >= 2);
        await AssertChainHoldsExactlyAsync(events);
    }

    [Fact]
    public async Task WhenTheEmittersRelayStopsHalfWayAndRestartsEveryEventIsStillOneRow()
    {
        _exchange = await BusReadyAsync(_node.Exchange().Services);
        var small = new Dictionary<string, string?> { ["Outbox:BatchSize"] = "5" };
        var directory = new ServiceFactory<DirectoryServiceMarker>(_node.Node, small);
        await BusReadyAsync(directory.Services);
        var events = _node.Events(40);

        await StageAsync(directory, events);
        await AuditNode.WaitUntilAsync(async () => await SentAsync() >= 5, "the relay published its first batch");
        await directory.DisposeAsync();
        // The relay "crashed" after publishing its last batches but before marking them sent: they go out again.
        var sent = await SentAsync();
        await _node.ExecuteAsync($"""
            UPDATE directory.outbox_messages SET sent_at = NULL WHERE id IN (
              SELECT id FROM directory.outbox_messages WHERE sent_at IS NOT NULL AND message_type LIKE '%AuditEventRecorded'
              ORDER BY sequence DESC LIMIT {Math.Max(1, sent / 2)})
            """);
        Assert.True(await SentAsync() < events.Count);

        await using var restarted = new ServiceFactory<DirectoryServiceMarker>(_node.Node, small);
        await BusReadyAsync(restarted.Services);
        await AuditNode.WaitUntilAsync(async () => await SentAsync() == events.Count, "the restarted relay published the rest");
        // Behind every republished duplicate on the one queue: once it is appended, the duplicates were handled.
        var sentinel = _node.Event(999);
        await StageAsync(restarted, [sentinel]);

        await WaitForRowsAsync([.. events, sentinel]);
        await AssertChainHoldsExactlyAsync([.. events, sentinel]);
    }

    private async Task<long> SentAsync() =>
        await _node.CountAsync("SELECT count(*) FROM directory.outbox_messages WHERE sent_at IS NOT NULL AND message_type LIKE '%AuditEventRecorded'");

    /// <summary>Starts a host and waits until its bus is connected, so its queues are bound before anything is published.</summary>
    private static async Task<IServiceProvider> BusReadyAsync(IServiceProvider services)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
        return services;
    }

    private static async Task StageAsync(ServiceFactory<DirectoryServiceMarker> directory, IReadOnlyList<AuditEventRecorded> events)
    {
        await using var scope = directory.Services.CreateAsyncScope();
        var trail = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
        foreach (var e in events) trail.Stage(e);
        await scope.ServiceProvider.GetRequiredService<DirectoryDbContext>().SaveChangesAsync();
    }

    private async Task WaitForRowsAsync(IReadOnlyList<AuditEventRecorded> events) =>
        await AuditNode.WaitUntilAsync(async () => await _node.CountAsync("SELECT count(*) FROM exchange.audit_records WHERE event_id = ANY($1)",
            (object)events.Select(e => e.EventId).ToArray()) == events.Count, $"the {events.Count} events were appended");

    /// <summary>Every event is there once, nothing else is, the sequence runs 1..n without a gap, and verify is clean.</summary>
    private async Task AssertChainHoldsExactlyAsync(IReadOnlyList<AuditEventRecorded> events)
    {
        var rows = await _node.RowsAsync();
        Assert.Equal(events.Select(e => e.EventId).Order(), rows.Select(r => r.EventId).Order());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), rows.Select(r => r.Sequence));
        await using var scope = _exchange.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ChainVerifier>().VerifyAsync(CancellationToken.None);
        Assert.True(result.Ok, result.FirstProblem?.Detail);
    }

    private sealed class FaultOnce
    {
        public int Injected;
    }

    // The fault goes in after the real append committed, as if the consumer died before acknowledging: the retry
    // brings the same batch again.
    private sealed class FailingAfterAppend(ChainAppender inner, FaultOnce fault) : IChainAppender
    {
        public async Task<int> AppendAsync(IReadOnlyList<AuditEventRecorded> events, CancellationToken ct)
        {
            var appended = await inner.AppendAsync(events, ct);
            if (Interlocked.CompareExchange(ref fault.Injected, 1, 0) == 0) throw new InvalidOperationException("injected failure after the append");
            return appended;
        }

        public Task<AnchorRecord?> AnchorHeadAsync(TimeSpan olderThan, CancellationToken ct) => inner.AnchorHeadAsync(olderThan, ct);
    }
}
