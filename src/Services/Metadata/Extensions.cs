using MedImaging.Metadata.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Metadata;

public static class Extensions
{
    public static WebApplicationBuilder AddMetadataServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<MetadataDbContext>(MetadataDbContext.Schema);
        builder.AddMessaging();
        return builder;
    }
}
