namespace MedImaging.ServiceDefaults.Messaging;

/// <summary>
/// An integration event waiting to leave the service. It is inserted in the same transaction as the state change it
/// reports, and the relay publishes it afterwards; its <see cref="Id"/> becomes the MassTransit MessageId, which is
/// what the consumers' inbox deduplicates on.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; }

    /// <summary>Insertion order; the relay publishes in this order.</summary>
    public long Sequence { get; init; }

    /// <summary>Full CLR name of the contract type (MassTransit routes on it).</summary>
    public required string MessageType { get; init; }

    public required string Body { get; init; }
    public string? CorrelationId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>A message a consumer of this service has already handled; the key is (message id, consumer).</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }
    public required string Consumer { get; init; }
    public required string MessageType { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}
