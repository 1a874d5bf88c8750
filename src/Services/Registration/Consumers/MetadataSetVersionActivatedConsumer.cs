using MassTransit;
using MedImaging.Contracts.Metadata;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Registration.Consumers;

/// <summary>Switches new entries to the newly active metadata set version.</summary>
public sealed class MetadataSetVersionActivatedConsumer(RegistrationDbContext db, ILogger<MetadataSetVersionActivatedConsumer> logger)
    : IdempotentConsumer<MetadataSetVersionActivated, RegistrationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<MetadataSetVersionActivated> context)
    {
        var m = context.Message;
        var current = await Db.ActiveMetadataSets.FindAsync([m.SetCode], context.CancellationToken);
        // Events can overtake each other across retries: never step back to an older version.
        if (current is not null && current.Version >= m.Version) return;
        if (current is null)
        {
            current = new ActiveMetadataSet { SetCode = m.SetCode, ActivatedBy = m.ActivatedBy };
            Db.ActiveMetadataSets.Add(current);
        }
        current.MetadataSetId = m.MetadataSetId;
        current.Version = m.Version;
        current.VersionId = m.VersionId;
        current.ActivatedAt = m.OccurredAt;
        current.ActivatedBy = m.ActivatedBy;
        current.RecordedAt = DateTimeOffset.UtcNow;
    }
}

public sealed class MetadataSetVersionActivatedConsumerDefinition : ConsumerDefinition<MetadataSetVersionActivatedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<MetadataSetVersionActivatedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000));
}
