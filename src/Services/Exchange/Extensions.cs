using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Exchange;

public static class Extensions
{
    public static WebApplicationBuilder AddExchangeServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<ExchangeDbContext>(ExchangeDbContext.Schema);
        builder.AddMessaging();
        return builder;
    }
}
