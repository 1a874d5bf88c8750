using MassTransit;
using MedImaging.Contracts.Metadata;
using MedImaging.Metadata.Infrastructure;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Metadata.Consumers;

/// <summary>
/// A service that started late asks which metadata set versions are active: every active version is announced again,
/// through the outbox, to every subscriber (each one is idempotent on the version, so those that knew lose nothing).
/// </summary>
public sealed class AnnounceActiveMetadataSetVersionsConsumer(MetadataDbContext db, ActiveVersionAnnouncer announcer,
    ILogger<AnnounceActiveMetadataSetVersionsConsumer> logger)
    : IdempotentConsumer<AnnounceActiveMetadataSetVersions, MetadataDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<AnnounceActiveMetadataSetVersions> context)
    {
        var count = await announcer.AnnounceAllAsync(context.CancellationToken);
        logger.LogInformation("{Service} of node {Node} asked for the active metadata set versions; {Count} announced again",
            context.Message.RequestedBy, context.Message.OriginNode, count);
    }
}

public sealed class AnnounceActiveMetadataSetVersionsConsumerDefinition : ConsumerDefinition<AnnounceActiveMetadataSetVersionsConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AnnounceActiveMetadataSetVersionsConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000));
}
