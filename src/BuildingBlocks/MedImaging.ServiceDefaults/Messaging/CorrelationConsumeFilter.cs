using MassTransit;
using MedImaging.ServiceDefaults.Logging;

namespace MedImaging.ServiceDefaults.Messaging;

/// <summary>Carries the correlation id of the HTTP request that caused a message into the consumer's logs and its own events.</summary>
internal sealed class CorrelationConsumeFilter<T> : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var id = context.Headers.Get<string>(CorrelationContext.HeaderName) ?? context.CorrelationId?.ToString() ?? context.MessageId?.ToString();
        using (CorrelationContext.Begin(id))
            await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("correlation");
}
