namespace MedImaging.Directory.Domain;

/// <summary>
/// "An entry matching your subscription was published": one per (subscription, entry), however often the entry is
/// republished or its fact redelivered. It holds the entry's key and the subscription's name only; the entry itself is
/// read through the search at listing time, in the reader's scope then, so a notification never outlives the reader's
/// right to see the entry (a lowered clearance or a withdrawal hides it).
/// </summary>
public sealed class Notification
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid SubscriptionId { get; init; }
    public required string Subscriber { get; init; }
    public required string SubscriptionName { get; init; }
    public required string OriginNode { get; init; }
    public required Guid ResourceId { get; init; }
    public int RecordVersion { get; init; }
    public DateTimeOffset MatchedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? ReadAt { get; set; }
}
