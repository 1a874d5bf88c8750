using MassTransit;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Directory.Consumers;

/// <summary>
/// Keeps the read model current with a registration fact (ADR 0024): the inbox row, the writer's change and nothing
/// else commit together. The writer is idempotent on (origin node, resource id, record version), so a fact redelivered
/// with a new message id, arriving late, or replicated from another node changes nothing it should not. A rebuild
/// writing a page of Registration's feed holds these off for that page (<see cref="CatalogLocks"/>).
/// </summary>
public abstract class CatalogFactConsumer<TFact>(DirectoryDbContext db, CatalogWriter writer, ILogger logger)
    : IdempotentConsumer<TFact, DirectoryDbContext>(db, logger) where TFact : class
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<TFact> context)
    {
        await CatalogLocks.ShareAsync(Db, context.CancellationToken);
        if (!await ApplyAsync(writer, context.Message, context.CancellationToken))
            _logger.LogInformation("{Fact} {MessageId} changed nothing: the read model already holds that version or a later one", typeof(TFact).Name, context.MessageId);
    }

    protected abstract Task<bool> ApplyAsync(CatalogWriter writer, TFact fact, CancellationToken ct);
}

/// <summary>A published entry (or a version republished after revision) shows in the directory.</summary>
public sealed class ResourcePublishedConsumer(DirectoryDbContext db, CatalogWriter writer, ILogger<ResourcePublishedConsumer> logger)
    : CatalogFactConsumer<ResourcePublished>(db, writer, logger)
{
    protected override Task<bool> ApplyAsync(CatalogWriter writer, ResourcePublished fact, CancellationToken ct) => writer.ApplyAsync(fact, ct);
}

/// <summary>An entry reopened for correction leaves the directory until its new version is published.</summary>
public sealed class ResourceRevisedConsumer(DirectoryDbContext db, CatalogWriter writer, ILogger<ResourceRevisedConsumer> logger)
    : CatalogFactConsumer<ResourceRevised>(db, writer, logger)
{
    protected override Task<bool> ApplyAsync(CatalogWriter writer, ResourceRevised fact, CancellationToken ct) => writer.ApplyAsync(fact, ct);
}

/// <summary>A withdrawn entry leaves the directory; its tombstone keeps a late publication of that version out.</summary>
public sealed class ResourceWithdrawnConsumer(DirectoryDbContext db, CatalogWriter writer, ILogger<ResourceWithdrawnConsumer> logger)
    : CatalogFactConsumer<ResourceWithdrawn>(db, writer, logger)
{
    protected override Task<bool> ApplyAsync(CatalogWriter writer, ResourceWithdrawn fact, CancellationToken ct) => writer.ApplyAsync(fact, ct);
}

/// <summary>
/// Retries as the other consumers do. Two facts of one new entry handled at once on two queues both insert its row; the
/// loser's unique violation rolls back and its retry finds the row (locked, then applied by version).
/// </summary>
public sealed class CatalogFactConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000));
}
