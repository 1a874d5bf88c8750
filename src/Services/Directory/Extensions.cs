using Microsoft.Extensions.DependencyInjection.Extensions;
using MedImaging.Contracts.Metadata;
using MedImaging.Directory.Consumers;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Directory;

public static class Extensions
{
    public static WebApplicationBuilder AddDirectoryServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<DirectoryDbContext>(DirectoryDbContext.Schema);
        builder.Services.AddScoped<CatalogWriter>();
        builder.Services.AddScoped<ICatalogUsage, CatalogUsage>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<ICatalogSearch, CatalogSearch>();
        builder.Services.AddSingleton<SearchCursorKey>();
        builder.Services.AddSingleton<IQueryExpansion, LiteralExpansion>();
        builder.AddMessaging(bus => bus.AddConsumer<MetadataSetVersionActivatedConsumer>(typeof(MetadataSetVersionActivatedConsumerDefinition)));
        // Versions activated (or seeded) before this service's queue existed never reached it: ask for them at start (ADR 0017).
        builder.PublishAtStart<DirectoryDbContext, AnnounceActiveMetadataSetVersions>(h => new() { OriginNode = h.RequiredNode.NodeId, RequestedBy = h.ServiceName });
        return builder;
    }
}
