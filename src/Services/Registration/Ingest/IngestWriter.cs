using System.Threading.Channels;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Privacy;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Messaging;
using Npgsql;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// The single writer of ingest (group commit): requests queue their prepared instances; the writer takes everything
/// queued, stores it in one transaction and completes each request's unit after the commit — so a response still comes
/// only after its instances are durable, but many instances share one commit and no two transactions of this process
/// contend for a study. A group that fails is retried instance by instance, so one bad instance fails alone.
/// See docs/adr/0008-ingest-throughput.md.
/// </summary>
public sealed class IngestWriter(ServiceHostContext host, PhiVault vault, IServiceScopeFactory scopes, OutboxSignal outboxSignal, ClassificationMemo classifications,
    ILogger<IngestWriter> logger)
    : IHostedService, IAsyncDisposable
{
    /// <summary>Instances (and logged failures) one group takes at most.</summary>
    public const int MaxGroupOps = 512;

    private readonly Channel<IngestUnit> _queue = Channel.CreateUnbounded<IngestUnit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<NpgsqlDataSource> _dataSource = new(() =>
    {
        var cs = new NpgsqlConnectionStringBuilder(host.Connections?.Postgres ?? "Host=unconfigured")
        {
            // The writer sends the same few statements all day: prepared once per connection, parsed never again.
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
        };
        return NpgsqlDataSource.Create(cs);
    });
    private NpgsqlConnection? _connection;
    private Task? _loop;

    /// <summary>Queues a unit; its <see cref="IngestUnit.Committed"/> completes after the commit that holds it.</summary>
    public Task<IReadOnlyList<InstanceResult>> EnqueueAsync(IngestUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (!_queue.Writer.TryWrite(unit)) unit.Fail(new InvalidOperationException("The ingest writer is stopped."));
        return unit.Committed;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    // Requests have drained by now (the web server stops first); what is queued is still written.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_connection is not null) await _connection.DisposeAsync();
        if (_dataSource.IsValueCreated) await _dataSource.Value.DisposeAsync();
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            var group = new List<IngestUnit>();
            var ops = 0;
            while (ops < MaxGroupOps && reader.TryRead(out var unit))
            {
                group.Add(unit);
                ops += unit.Ops.Count + 1;
            }
            try
            {
                await StoreAsync(group);
            }
            catch (Exception ex)
            {
                // Never leave a request waiting: whatever went wrong is its 500.
                logger.LogError(ex, "Ingest writer: a group of {Units} units failed", group.Count);
                foreach (var unit in group) unit.Fail(ex);
            }
        }
    }

    private async Task StoreAsync(List<IngestUnit> group)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Complete(group, await RunAsync(group));
                return;
            }
            catch (PostgresException ex) when (attempt == 1 && ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Another process created the same study, series or vault row at the same moment: read again, once.
                logger.LogInformation("Ingest writer: {Constraint} raced with another writer; retrying the group", ex.ConstraintName);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Ingest writer: a group of {Units} units failed; storing its instances one by one", group.Count);
                await OneByOneAsync(group);
                return;
            }
        }
    }

    // Each instance in its own transaction; one that still fails is logged as a processing failure (0110) and
    // nothing of it is kept; the batch is closed last with every outcome.
    private async Task OneByOneAsync(List<IngestUnit> group)
    {
        foreach (var unit in group)
        {
            var results = new List<InstanceResult>(unit.Ops.Count);
            foreach (var op in unit.Ops)
            {
                var single = new IngestUnit(unit.Batch, [op], null) { CorrelationId = unit.CorrelationId };
                try
                {
                    results.Add((await RunAsync([single]))[0][0]);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                {
                    logger.LogError(ex, "Storing instance {Ordinal} of batch {BatchId} failed", op.Ordinal, unit.Batch.Id);
                    var p = op.Instance;
                    var failure = InstanceResult.Failed(op.Ordinal, StoreStatus.ProcessingFailure, "processing failure while storing the instance",
                        p?.SizeBytes ?? op.Failure!.SizeBytes, p?.SopClassUid ?? op.Failure?.SopClassUid, p?.SopInstanceUid ?? op.Failure?.SopInstanceUid);
                    results.Add((await RunAsync([new IngestUnit(unit.Batch, [new IngestOp(null, failure)], null)]))[0][0]);
                }
            }
            if (unit.Close is { } close) await RunAsync([new IngestUnit(unit.Batch, [], close with { Earlier = [.. close.Earlier, .. results] })]);
            unit.Complete(results);
        }
    }

    private static void Complete(List<IngestUnit> group, IReadOnlyList<IReadOnlyList<InstanceResult>> results)
    {
        for (var i = 0; i < group.Count; i++) group[i].Complete(results[i]);
    }

    private async Task<IReadOnlyList<IReadOnlyList<InstanceResult>>> RunAsync(IReadOnlyList<IngestUnit> units)
    {
        var connection = await ConnectionAsync();
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var group = new GroupCommit(connection, vault, scope.ServiceProvider.GetRequiredService<AutoCataloguer>(), host.RequiredNode.NodeId,
                host.Node?.GatewayUrl);
            var results = await group.RunAsync(units, CancellationToken.None);
            foreach (var study in group.Unclassified) classifications.MarkPending(study);
            // The group's StudyInstancesStored events are committed: the relay need not wait for its next poll.
            if (group.EventsStaged > 0) outboxSignal.Notify();
            return results;
        }
        catch (NpgsqlException) when (connection.FullState != System.Data.ConnectionState.Open)
        {
            // A broken connection is replaced on the next group.
            await connection.DisposeAsync();
            _connection = null;
            throw;
        }
    }

    private async Task<NpgsqlConnection> ConnectionAsync()
    {
        if (_connection is { FullState: System.Data.ConnectionState.Open } open) return open;
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = await _dataSource.Value.OpenConnectionAsync();
        return _connection;
    }
}
