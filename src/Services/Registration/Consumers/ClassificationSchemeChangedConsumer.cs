using MassTransit;
using MedImaging.Contracts.Metadata;
using MedImaging.Registration.Cataloguing;

namespace MedImaging.Registration.Consumers;

/// <summary>
/// Re-classifies catalogue entries when the Metadata service's classification scheme or its mapping changes. Unlike the
/// other consumers this is not an <see cref="MedImaging.ServiceDefaults.Messaging.IdempotentConsumer{TMessage,TContext}"/>:
/// the pass commits page by page (so ingest never waits for a whole pass), which one inbox transaction cannot wrap; it
/// needs no inbox either, because a pass over entries already in line changes nothing, so a redelivery is harmless.
/// </summary>
public sealed class ClassificationSchemeChangedConsumer(Reclassifier reclassifier) : IConsumer<ClassificationSchemeChanged>
{
    // The pass reads the scheme as it is now, so an older event handled late does no harm: it re-derives the same values.
    public Task Consume(ConsumeContext<ClassificationSchemeChanged> context)
        => reclassifier.RunAsync(context.Message, context.CancellationToken);
}

public sealed class ClassificationSchemeChangedConsumerDefinition : ConsumerDefinition<ClassificationSchemeChangedConsumer>
{
    // Metadata unreachable is the likely failure: wait longer than for a database hiccup before giving up to the error queue.
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ClassificationSchemeChangedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(500, 2000, 10000, 30000, 60000));
}
