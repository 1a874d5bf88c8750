using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MedImaging.ServiceDefaults.Hosting;

internal static class RedisExtensions
{
    /// <summary>One multiplexer per host, registered once here; result sets, caches and rate limits share it.</summary>
    public static WebApplicationBuilder AddRedis(this WebApplicationBuilder builder, ServiceHostContext host)
    {
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(host.Connections?.Redis ?? "unconfigured:6379");
            // Start even while Redis restarts; the ready check reports it instead of the host crashing.
            options.AbortOnConnectFail = false;
            options.ClientName = $"{host.Node?.NodeId}-{host.ServiceName}";
            return ConnectionMultiplexer.Connect(options);
        });
        return builder;
    }
}
