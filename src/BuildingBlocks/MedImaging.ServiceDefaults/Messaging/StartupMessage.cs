using MassTransit;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedImaging.ServiceDefaults.Messaging;

public static class StartupMessageExtensions
{
    /// <summary>
    /// Publishes one message through the service's outbox each time the host starts, once its bus is connected (so its
    /// own queues are bound before anyone answers). For a request whose answer the service needs whenever it starts,
    /// such as asking another service to announce its current state again.
    /// </summary>
    public static IHostApplicationBuilder PublishAtStart<TContext, TMessage>(this IHostApplicationBuilder builder, Func<ServiceHostContext, TMessage> create)
        where TContext : DbContext
        where TMessage : class
    {
        builder.Services.AddHostedService(sp => new StartupMessage<TContext, TMessage>(sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<ServiceHostContext>(), create, sp.GetRequiredService<ILogger<StartupMessage<TContext, TMessage>>>()));
        return builder;
    }
}

internal sealed class StartupMessage<TContext, TMessage>(IServiceScopeFactory scopes, ServiceHostContext host, Func<ServiceHostContext, TMessage> create,
    ILogger<StartupMessage<TContext, TMessage>> logger) : BackgroundService
    where TContext : DbContext
    where TMessage : class
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (host.Problem is not null || host.Node is null) return;
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // The answer goes to this service's queues: they must exist before the request leaves.
                await scope.ServiceProvider.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                scope.ServiceProvider.GetRequiredService<IOutbox>().Enqueue(create(host));
                await db.SaveChangesAsync(stoppingToken);
                logger.LogInformation("Published {Message} at start", typeof(TMessage).Name);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                // Database not migrated yet or not reachable: the host's health shows it; keep trying, less and less often.
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(attempt, 6))));
                logger.LogWarning(ex, "Could not publish {Message} at start (attempt {Attempt}); retrying in {Delay}", typeof(TMessage).Name, attempt, delay);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
