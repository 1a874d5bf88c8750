using MassTransit;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Exchange.Audit;

/// <summary>
/// The audit queue must exist before any host publishes its first audit event: RabbitMQ drops a message published to an
/// exchange no queue is bound to, and on a new node the gateway, Registration and Metadata may start (and audit) before
/// Exchange's bus has declared its queue. Starting and stopping the bus once in the <c>--migrate</c> step, which
/// deploy/local/up.sh and the compose migrator run before any host, declares the durable queue and its bindings.
/// </summary>
internal sealed class DeclareAuditQueue(IBusControl bus, ILogger<DeclareAuditQueue> log) : IMigrateStep
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await bus.StartAsync(timeout.Token);
        await bus.StopAsync(timeout.Token);
        log.LogInformation("Declared the audit trail's queue and bindings on the node's RabbitMQ");
    }
}
