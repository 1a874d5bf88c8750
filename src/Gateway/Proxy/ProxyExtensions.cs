using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Logging;
using Yarp.ReverseProxy.Transforms;

namespace MedImaging.Gateway.Proxy;

internal static class ProxyExtensions
{
    public const string ConfigurationSection = "ReverseProxy";

    public static WebApplicationBuilder AddGatewayProxy(this WebApplicationBuilder builder, ServiceHostContext host)
    {
        var section = builder.Configuration.GetSection(ConfigurationSection);
        var proxy = builder.Services.AddReverseProxy();
        if (section.Exists())
            proxy.LoadFromConfig(section);

        // Without a valid node file RunServiceAsync refuses to start; YARP still needs a provider to build the app.
        var (routes, clusters) = host.Node is { } node
            ? NodeProxyConfig.Build(node,
                [.. section.GetSection("Routes").GetChildren().Select(c => c.Key)],
                [.. section.GetSection("Clusters").GetChildren().Select(c => c.Key)])
            : ([], []);
        proxy.LoadFromMemory(routes, clusters);

        proxy.AddTransforms(context =>
        {
            // The correlation middleware took the caller's id or made one; the service must log under the same id.
            context.AddRequestTransform(transform =>
            {
                transform.ProxyRequest.Headers.Remove(CorrelationContext.HeaderName);
                if (CorrelationContext.Current is { } id)
                    transform.ProxyRequest.Headers.TryAddWithoutValidation(CorrelationContext.HeaderName, id);
                return ValueTask.CompletedTask;
            });
            // The service echoes the id; YARP would append its copy to the one the gateway already set.
            context.AddResponseTransform(transform =>
            {
                if (CorrelationContext.Current is { } id)
                    transform.HttpContext.Response.Headers[CorrelationContext.HeaderName] = id;
                return ValueTask.CompletedTask;
            });
        });

        builder.AddGatewayRateLimiting();
        return builder;
    }
}
