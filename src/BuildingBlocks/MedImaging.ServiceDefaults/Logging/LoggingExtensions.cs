using MedImaging.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace MedImaging.ServiceDefaults.Logging;

internal static class LoggingExtensions
{
    /// <summary>
    /// Serilog, structured JSON on stdout, one logger per host (not the static Log.Logger) so that several hosts can
    /// share a test process. Levels come from the "Serilog" configuration section.
    /// </summary>
    public static IHostApplicationBuilder AddStructuredLogging(this IHostApplicationBuilder builder, ServiceHostContext host)
    {
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("MassTransit", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", host.ServiceName)
            .Enrich.WithProperty("Node", host.Node?.NodeId ?? "?")
            // Console writes are synchronous and cost a request its latency under load (one line per request): a
            // buffer written every 200 ms takes them off the request path; the logger is disposed, and so flushed,
            // with the host.
            .WriteTo.Sink(new BufferedConsoleSink(new RenderedCompactJsonFormatter())));
        builder.Services.AddTransient<CorrelationIdHandler>();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler<CorrelationIdHandler>());
        return builder;
    }
}
