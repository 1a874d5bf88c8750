using System.Text.Json.Serialization;
using MedImaging.Metadata.Consumers;
using MedImaging.Metadata.Infrastructure;
using MedImaging.Metadata.Infrastructure.Seed;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Metadata;

public static class Extensions
{
    public static WebApplicationBuilder AddMetadataServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<MetadataDbContext>(MetadataDbContext.Schema);
        // Registered after the DbContext, so it starts after the migrate-on-startup step (hosted services start in order).
        builder.Services.AddHostedService<MetadataSeeder>();
        builder.Services.AddScoped<MetadataCatalog>();
        builder.Services.AddScoped<ActiveVersionAnnouncer>();
        // Data types, obligations and levels are words of the standard on the wire ("Mandatory", not 0).
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        builder.AddMessaging(bus => bus.AddConsumer<AnnounceActiveMetadataSetVersionsConsumer>(typeof(AnnounceActiveMetadataSetVersionsConsumerDefinition)));
        return builder;
    }
}
