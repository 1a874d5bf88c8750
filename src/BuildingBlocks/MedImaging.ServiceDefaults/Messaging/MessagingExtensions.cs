using MassTransit;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MedImaging.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on the node's RabbitMQ virtual host. Queues are named "{service}-{consumer}", so every service that
    /// consumes an event gets its own copy of it. Consumers are registered by the caller.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        builder.Services.AddMassTransit(bus =>
        {
            consumers?.Invoke(bus);
            bus.DisableUsageTelemetryEverywhere();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var host = context.GetRequiredService<ServiceHostContext>();
                rabbit.Host(host.Connections?.RabbitMq ?? new Uri("amqp://unconfigured/"), h =>
                {
                    h.PublisherConfirmation = true;
                    h.Heartbeat(TimeSpan.FromSeconds(10));
                });
                rabbit.UseConsumeFilter(typeof(CorrelationConsumeFilter<>), context);
                rabbit.ConfigureEndpoints(context, new KebabCaseEndpointNameFormatter(host.ServiceName, false));
            });
        });
        return builder;
    }

    internal static IHostApplicationBuilder AddOutbox<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton<OutboxSignalInterceptor>();
        builder.Services.AddOptions<OutboxRelayOptions>().BindConfiguration("Outbox");
        builder.Services.AddScoped<IOutbox, Outbox<TContext>>();
        builder.Services.AddScoped<Audit.IAuditTrail, Audit.AuditTrail<TContext>>();
        builder.Services.AddScoped<IOutboxMonitor, OutboxMonitor<TContext>>();
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        builder.Services.AddOptions<OutboxRetentionOptions>().BindConfiguration("Outbox:Retention");
        builder.Services.AddHostedService<OutboxRetention<TContext>>();
        return builder;
    }
}
