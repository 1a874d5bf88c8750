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

    /// <summary>
    /// The row for a message, as <see cref="IOutbox.Enqueue{TMessage}"/> stages it; for writers that insert with their own
    /// SQL in their own transaction (ingest's group commit), which then wake the relay through <see cref="OutboxSignal"/>.
    /// </summary>
    public static OutboxMessage For(object message, string? correlationId = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        return new OutboxMessage
        {
            // Time-ordered ids keep the primary key index append-only.
            Id = Guid.CreateVersion7(),
            MessageType = type.FullName ?? type.Name,
            Body = System.Text.Json.JsonSerializer.Serialize(message, type, MessageJson.Options),
            CorrelationId = correlationId ?? Logging.CorrelationContext.Current,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }
}

/// <summary>A message a consumer of this service has already handled; the key is (message id, consumer).</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }
    public required string Consumer { get; init; }
    public required string MessageType { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}
