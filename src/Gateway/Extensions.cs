using MedImaging.Gateway.Health;
using MedImaging.Gateway.Identity;
using MedImaging.Gateway.Infrastructure;
using MedImaging.Gateway.Proxy;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Gateway;

public static class Extensions
{
    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        // AddServiceDefaults registered who this host is; the token server and the routes are built from it.
        var host = (ServiceHostContext)builder.Services.Single(d => d.ServiceType == typeof(ServiceHostContext)).ImplementationInstance!;

        builder.AddServiceDbContext<GatewayDbContext>(GatewayDbContext.Schema);
        builder.AddMessaging();
        builder.AddGatewayIdentity(host);
        builder.Services.AddHostedService<KeyPublisher>();
        builder.AddGatewayProxy(host);
        builder.Services.AddNodeHealth();
        return builder;
    }
}
