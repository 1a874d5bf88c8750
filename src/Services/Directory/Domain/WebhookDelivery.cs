namespace MedImaging.Directory.Domain;

/// <summary>
/// One webhook POST still owed or done, staged with its notification in the consumer's transaction (an outbox for
/// HTTP): the dispatcher, never the consumer, sends it, retries with backoff, and gives up after the configured number
/// of attempts, leaving the last error on the row and on its subscription.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid SubscriptionId { get; init; }
    public required Guid NotificationId { get; init; }

    /// <summary>The JSON body as signed and sent (built at matching time; every attempt sends the same bytes).</summary>
    public required string Body { get; init; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>A dispatcher holds the row until then (a crashed one's lease runs out and another takes the row).</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Set when no further attempt will be made (attempts spent, or the entry no longer visible to the subscriber).</summary>
    public DateTimeOffset? AbandonedAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
