using MassTransit;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Directory.Consumers;

/// <summary>
/// The read model's queues must exist before Registration publishes its first fact: RabbitMQ drops a message published
/// to an exchange no queue is bound to, and MassTransit declares a consumer's queue only when its bus starts. On a new
/// node Registration may start (and publish) before Directory's bus is up, and the entry would never reach the directory
/// (ADR 0017, ADR 0024). Starting and stopping the bus once in the <c>--migrate</c> step, which deploy/local/up.sh and
/// the compose migrator run before any host, declares the durable queues and their bindings (as Exchange does for the
/// audit queue).
/// </summary>
internal sealed class DeclareCatalogQueues(IBusControl bus, ILogger<DeclareCatalogQueues> log) : IMigrateStep
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await bus.StartAsync(timeout.Token);
        await bus.StopAsync(timeout.Token);
        log.LogInformation("Declared the directory's queues and bindings on the node's RabbitMQ");
    }
}
