using MassTransit;
using MedImaging.Contracts.Audit;
using Microsoft.Extensions.Options;

namespace MedImaging.Exchange.Audit;

/// <summary>
/// Takes the node's audit events off the queue in batches and appends each batch in one transaction, so the trail keeps
/// up with ingest (one event per STOW request) at the cost of one lock and one commit per batch, not per event. A
/// duplicate (redelivery, a relay that republished after a crash) is skipped by its event id, not by the inbox: the
/// chain itself is the record of what was appended.
/// </summary>
public sealed class ChainAppendConsumer(IChainAppender appender, ILogger<ChainAppendConsumer> logger) : IConsumer<Batch<AuditEventsRecorded>>
{
    public async Task Consume(ConsumeContext<Batch<AuditEventsRecorded>> context)
    {
        var events = context.Message.SelectMany(m => m.Message.Events).ToList();
        int appended;
        try
        {
            appended = await appender.AppendAsync(events, context.CancellationToken);
        }
        catch (Exception ex) when (events.Count > 1 && ex is not OperationCanceledException)
        {
            // One event the database refuses must not hold back the others: append them one at a time. The bad one
            // throws again, the batch is retried and finally parked in the error queue (the good ones are skipped by id
            // when it is moved back); a database that is away fails the first one and the batch is simply retried.
            logger.LogWarning(ex, "Audit batch of {Count} failed; appending its events one at a time", events.Count);
            appended = 0;
            foreach (var e in events) appended += await appender.AppendAsync([e], context.CancellationToken);
        }
        if (appended < events.Count)
            logger.LogInformation("Audit batch of {Count}: {Appended} appended, {Skipped} already in the chain", events.Count, appended, events.Count - appended);
    }
}

public sealed class ChainAppendConsumerDefinition : ConsumerDefinition<ChainAppendConsumer>
{
    private readonly ChainOptions _options;

    public ChainAppendConsumerDefinition(IOptions<ChainOptions> options)
    {
        _options = options.Value;
        // Each message carries a relay batch of events (up to 100): a few in hand fill an append.
        Endpoint(e => e.PrefetchCount = Math.Max(16, MessagesPerAppend(_options) * 2));
    }

    // AppendBatchSize counts events; a message holds one relay batch of them, so fewer messages make an append.
    private static int MessagesPerAppend(ChainOptions options) => Math.Max(1, options.AppendBatchSize / 10);

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ChainAppendConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // A failed batch is retried whole; the events already appended by an earlier try are skipped by their ids.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000, 10000));
        // One batch at a time per replica: appends are serialised by the chain's lock anyway, so more would only wait.
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(MessagesPerAppend(_options))
            .SetTimeLimit(_options.AppendWindow)
            .SetConcurrencyLimit(1));
    }
}
