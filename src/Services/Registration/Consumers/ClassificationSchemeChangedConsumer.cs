using MassTransit;
using MedImaging.Contracts.Metadata;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Registration.Consumers;

/// <summary>Re-classifies catalogue entries when the Metadata service's classification scheme or its mapping changes.</summary>
public sealed class ClassificationSchemeChangedConsumer(RegistrationDbContext db, Reclassifier reclassifier, ILogger<ClassificationSchemeChangedConsumer> logger)
    : IdempotentConsumer<ClassificationSchemeChanged, RegistrationDbContext>(db, logger)
{
    // The pass reads the scheme as it is now, so an older event handled late does no harm: it re-derives the same values.
    protected override Task HandleAsync(ConsumeContext<ClassificationSchemeChanged> context)
        => reclassifier.RunAsync(context.Message, context.CancellationToken);
}

public sealed class ClassificationSchemeChangedConsumerDefinition : ConsumerDefinition<ClassificationSchemeChangedConsumer>
{
    // Metadata unreachable is the likely failure: wait longer than for a database hiccup before giving up to the error queue.
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ClassificationSchemeChangedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(500, 2000, 10000, 30000, 60000));
}
