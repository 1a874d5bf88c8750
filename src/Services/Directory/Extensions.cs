using MedImaging.Directory.Consumers;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Directory;

public static class Extensions
{
    public static WebApplicationBuilder AddDirectoryServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<DirectoryDbContext>(DirectoryDbContext.Schema);
        builder.AddMessaging(bus => bus.AddConsumer<MetadataSetVersionActivatedConsumer>(typeof(MetadataSetVersionActivatedConsumerDefinition)));
        return builder;
    }
}
