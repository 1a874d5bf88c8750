using System.Diagnostics.Metrics;

namespace MedImaging.ServiceDefaults.Messaging;

/// <summary>Counters an operator (or a test) can watch: how often the relay reads the outbox, what it publishes, what fails.</summary>
public static class OutboxMetrics
{
    public const string MeterName = "MedImaging.Outbox";

    private static readonly Meter Meter = new(MeterName);
    internal static readonly Counter<long> Polls = Meter.CreateCounter<long>("medimaging.outbox.polls", description: "Batches the relay read from an outbox");
    internal static readonly Counter<long> Published = Meter.CreateCounter<long>("medimaging.outbox.published", description: "Messages published with broker confirm");
    internal static readonly Counter<long> Failures = Meter.CreateCounter<long>("medimaging.outbox.failures", description: "Publish attempts that failed");
}
