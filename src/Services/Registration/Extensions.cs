using MedImaging.Registration.Consumers;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Registration;

public static class Extensions
{
    public static WebApplicationBuilder AddRegistrationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<RegistrationDbContext>(RegistrationDbContext.Schema);
        builder.AddMessaging(bus => bus.AddConsumer<MetadataSetVersionActivatedConsumer>(typeof(MetadataSetVersionActivatedConsumerDefinition)));
        return builder;
    }
}
