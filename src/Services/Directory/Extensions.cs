using Microsoft.Extensions.DependencyInjection.Extensions;
using MedImaging.Contracts.Metadata;
using MedImaging.Directory.Concepts;
using MedImaging.Directory.Consumers;
using MedImaging.Directory.Discovery;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Csw;
using MedImaging.Directory.Catalog.Rebuild;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.Directory.Search.Index;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.Directory.Subscriptions;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Hosting;
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
        // Search: this instance's Lucene index of the read model, PostgreSQL for what it cannot answer (ADR 0030).
        builder.Services.AddOptions<CatalogIndexOptions>().BindConfiguration(CatalogIndexOptions.Section)
            .Validate(o => o.BatchSize >= 1 && o.PollInterval > TimeSpan.Zero && o.FreshnessWait >= TimeSpan.Zero && o.CommitInterval > TimeSpan.Zero
                    && o.DeletionRetention >= TimeSpan.Zero && o.PruneInterval >= TimeSpan.Zero,
                "Directory:Index: BatchSize must be at least 1; PollInterval and CommitInterval positive; FreshnessWait, DeletionRetention and PruneInterval not negative.")
            .ValidateOnStart();
        builder.Services.AddScoped<CatalogSearch>();
        if (builder.Configuration.GetValue($"{CatalogIndexOptions.Section}:{nameof(CatalogIndexOptions.Enabled)}", true))
        {
            builder.Services.AddSingleton<CatalogIndex>();
            builder.Services.AddHostedService<CatalogIndexFeeder>();
            builder.Services.AddScoped<ICatalogSearch, IndexedCatalogSearch>();
        }
        else builder.Services.AddScoped<ICatalogSearch>(sp => sp.GetRequiredService<CatalogSearch>());
        builder.Services.AddSingleton<SearchCursorKey>();
        builder.AddConceptSearch();
        builder.Services.AddScoped<CswCatalog>();
        builder.Services.AddOptions<Federation.FanOutOptions>().BindConfiguration(Federation.FanOutOptions.Section);
        builder.Services.AddSingleton<Federation.PeerTokens>();
        builder.Services.AddScoped<Federation.FanOutSearch>();
        builder.Services.AddHttpClient(Federation.PeerTokens.HttpClientName);
        builder.Services.AddHostedService<Federation.FanOutWarmup>();
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<MetadataSetVersionActivatedConsumer>(typeof(MetadataSetVersionActivatedConsumerDefinition));
            // The read model of published entries (ADR 0024).
            bus.AddConsumer<ResourcePublishedConsumer>(typeof(CatalogFactConsumerDefinition<ResourcePublishedConsumer>));
            bus.AddConsumer<ResourceRevisedConsumer>(typeof(CatalogFactConsumerDefinition<ResourceRevisedConsumer>));
            bus.AddConsumer<ResourceWithdrawnConsumer>(typeof(CatalogFactConsumerDefinition<ResourceWithdrawnConsumer>));
            // Subscriptions (订阅): each publication matched against the saved queries (ADR 0029).
            bus.AddConsumer<SubscriptionMatchingConsumer>(typeof(SubscriptionMatchingConsumerDefinition));
        });
        // Its queues exist before Registration publishes a first fact: --migrate declares them (ADR 0024).
        builder.Services.AddSingleton<IMigrateStep, DeclareCatalogQueues>();
        // Rebuilds read Registration's feed with Directory's own token (svc-directory).
        builder.AddServiceToken("Registration's published-entries feed");
        builder.Services.AddHttpClient(RegistrationFeed.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(60));
        builder.Services.AddScoped<RegistrationFeed>();
        builder.Services.AddSingleton<CatalogRebuild>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CatalogRebuild>());
        // §4.10 basic and discovery interfaces: sessions and result sets in Redis (ADR 0026).
        builder.Services.Configure<DiscoveryOptions>(builder.Configuration.GetSection(DiscoveryOptions.Section));
        builder.Services.AddSingleton<DiscoveryStore>();
        builder.Services.AddScoped<ServedRecords>();
        builder.AddSubscriptionServices();
        // Versions activated (or seeded) before this service's queue existed never reached it: ask for them at start (ADR 0017).
        builder.PublishAtStart<DirectoryDbContext, AnnounceActiveMetadataSetVersions>(h => new() { OriginNode = h.RequiredNode.NodeId, RequestedBy = h.ServiceName });
        return builder;
    }
}
