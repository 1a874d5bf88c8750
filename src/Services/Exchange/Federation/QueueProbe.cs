using MedImaging.ServiceDefaults.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// How many messages wait in a queue of this node's vhost and how many consumers it has, by a passive declare on the
/// node's own broker connection settings (no management API credentials needed). A link's outgoing queue with no
/// consumer means its shovel is not running: the link is down, and what is sent meanwhile waits there.
/// </summary>
public sealed class QueueProbe(ServiceHostContext host, ILogger<QueueProbe> log) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public sealed record QueueState(bool Exists, long Messages, long Consumers);

    /// <summary>The queue's state; throws <see cref="BrokerUnreachableException"/> and the like when the broker does not answer.</summary>
    public async Task<QueueState> ProbeAsync(string queue, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue, ct);
            return new QueueState(true, ok.MessageCount, ok.ConsumerCount);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return new QueueState(false, 0, 0);
        }
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is { IsOpen: true } open) return open;
        await _gate.WaitAsync(ct);
        try
        {
            if (_connection is { IsOpen: true } again) return again;
            if (_connection is not null) await _connection.DisposeAsync();
            var uri = host.Connections?.RabbitMq ?? throw new InvalidOperationException("the node has no broker connection");
            _connection = await new ConnectionFactory { Uri = uri, ClientProvidedName = $"{host.ServiceName}-link-probe", RequestedConnectionTimeout = TimeSpan.FromSeconds(5) }
                .CreateConnectionAsync(ct);
            log.LogDebug("Link probe connected to {Broker}", host.Connections.RabbitMqDisplay);
            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
