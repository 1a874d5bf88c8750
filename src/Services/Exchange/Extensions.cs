using MedImaging.Exchange.Audit;
using MedImaging.Exchange.Federation;
using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Exchange;

public static class Extensions
{
    public static WebApplicationBuilder AddExchangeServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<ExchangeDbContext>(ExchangeDbContext.Schema, ChainRegistration.AppendOnlyTables);
        builder.AddMessaging(bus =>
        {
            bus.AddChainConsumer();
            bus.AddFederationConsumers();
        });
        // The audit queue exists before any host of the node publishes (see DeclareAuditQueue).
        builder.Services.AddSingleton<MedImaging.ServiceDefaults.Hosting.IMigrateStep, DeclareAuditQueue>();
        builder.AddAuditChain();
        builder.AddFederation();
        return builder;
    }
}
