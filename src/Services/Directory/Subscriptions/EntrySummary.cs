using MedImaging.Directory.Domain;

namespace MedImaging.Directory.Subscriptions;

/// <summary>What a notification (listed or sent to a webhook) says of its entry: the brief elements, no patient data.</summary>
public sealed record EntrySummary(
    string OriginNode, Guid ResourceId, string? ResourceIdentifier, int RecordVersion, string Title, string Kind,
    string? SecurityClassification, string? Institution, string? InstitutionName, string? ClassificationCode,
    IReadOnlyList<string> Modalities, IReadOnlyList<string> BodyParts, DateOnly? StudyDate, DateTimeOffset PublishedAt)
{
    public static EntrySummary Of(CatalogEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.OriginNode, e.ResourceId, e.ResourceIdentifier, e.RecordVersion, e.Title, e.Kind, e.SecurityClassification, e.Institution,
            e.InstitutionName, e.ClassificationCode, e.Modalities, e.BodyParts, e.StudyDate, e.PublishedAt);
    }
}

/// <summary>The body a webhook receives (signed as sent, ADR 0029).</summary>
public sealed record WebhookPayload(string Event, Guid NotificationId, Guid SubscriptionId, string SubscriptionName, DateTimeOffset MatchedAt, EntrySummary Entry)
{
    public const string EntryMatched = "subscription.entry-matched";
}
