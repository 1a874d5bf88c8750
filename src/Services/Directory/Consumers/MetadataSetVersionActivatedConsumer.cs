using MassTransit;
using MedImaging.Contracts.Metadata;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Directory.Consumers;

/// <summary>
/// Records each activated metadata set version in the directory's schema history (with its elements' names and types,
/// which the self-description and full records use), once per version: the Metadata service
/// announces a version again when a late service asks (ADR 0017), with a new message id the inbox cannot recognise.
/// </summary>
public sealed class MetadataSetVersionActivatedConsumer(DirectoryDbContext db, ILogger<MetadataSetVersionActivatedConsumer> logger)
    : IdempotentConsumer<MetadataSetVersionActivated, DirectoryDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<MetadataSetVersionActivated> context)
    {
        var m = context.Message;
        if (await Db.SchemaVersions.FindAsync([m.VersionId], context.CancellationToken) is { } known)
        {
            // Recorded from an event without the schema: the re-announcement at start fills it in.
            known.TakeSchema(m);
            return;
        }
        var version = new SchemaVersion
        {
            VersionId = m.VersionId,
            SetCode = m.SetCode,
            Version = m.Version,
            MetadataSetId = m.MetadataSetId,
            ActivatedAt = m.OccurredAt,
            OriginNode = m.OriginNode,
        };
        version.TakeSchema(m);
        Db.SchemaVersions.Add(version);
    }
}

public sealed class MetadataSetVersionActivatedConsumerDefinition : ConsumerDefinition<MetadataSetVersionActivatedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<MetadataSetVersionActivatedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000));
}
