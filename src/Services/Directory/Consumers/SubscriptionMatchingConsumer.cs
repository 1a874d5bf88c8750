using MassTransit;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.Directory.Subscriptions;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Directory.Consumers;

/// <summary>
/// Tells subscribers of a newly published entry, from its own queue (directory-subscription-matching), beside the read
/// model's consumer. It applies the publication through <see cref="CatalogWriter"/> first — idempotent on the record
/// version and row-locked, so it makes no difference which of the two consumers runs first — then matches the entry as
/// the read model now holds it. Webhooks are only staged here; the dispatcher sends them (ADR 0029).
/// </summary>
public sealed class SubscriptionMatchingConsumer(DirectoryDbContext db, CatalogWriter writer, SubscriptionMatcher matcher, ILogger<SubscriptionMatchingConsumer> logger)
    : IdempotentConsumer<ResourcePublished, DirectoryDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<ResourcePublished> context)
    {
        var m = context.Message;
        await writer.ApplyAsync(m, context.CancellationToken);
        // The search reads the database: the entry must be written (in this transaction) before it is matched.
        await Db.SaveChangesAsync(context.CancellationToken);
        await matcher.MatchAsync(new EntryKey(m.OriginNode, m.ResourceId), context.CancellationToken);
    }
}

public sealed class SubscriptionMatchingConsumerDefinition : ConsumerDefinition<SubscriptionMatchingConsumer>
{
    // Two consumers inserting the same new entry at once: one fails on the key and its retry finds the row.
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SubscriptionMatchingConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000));
}
