using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Domain;

/// <summary>
/// A saved query (资源订阅, §4.3.3): its subscriber is told of each newly published entry that matches it, as a stored
/// <see cref="Notification"/> and, when a webhook is set, a signed POST. The subscriber's scope (clearance, institution)
/// as its latest call showed it is kept here and matching uses it, so a notification never holds an entry the subscriber
/// could not have found by searching at that time (ADR 0029). Deleting the row is 退订.
/// </summary>
public sealed class Subscription
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The subscriber's subject (token <c>sub</c>): only it lists, reads and deletes the subscription.</summary>
    public required string Subscriber { get; init; }
    public required string Name { get; set; }
    public required SubscriptionQuery Query { get; init; }

    // The query's filters again as columns, so that a publication finds its candidate subscriptions in one SQL pass
    // (array overlap) before any is evaluated: an empty list matches every entry.
    public List<string> Classifications { get; init; } = [];
    public List<string> Modalities { get; init; } = [];
    public List<string> BodyParts { get; init; } = [];
    public List<string> Institutions { get; init; } = [];
    public List<string> Nodes { get; init; } = [];
    public List<string> SecurityClassifications { get; init; } = [];
    public List<string> Kinds { get; init; } = [];

    /// <summary>The subscriber's clearance, node and institution when it last called (any subscription or notification endpoint).</summary>
    public string Clearance { get; private set; } = SecurityLevels.Public;

    /// <summary><see cref="SecurityLevels.Rank"/> of <see cref="Clearance"/>: the prefilter compares ranks in SQL.</summary>
    public int ClearanceRank { get; private set; }
    public string? ScopeNode { get; private set; }
    public string? ScopeInstitution { get; private set; }
    public DateTimeOffset ScopeSeenAt { get; private set; }

    public string? WebhookUrl { get; init; }

    /// <summary>The HMAC-SHA256 key of the webhook's signature; never shown again after creation.</summary>
    public string? WebhookSecret { get; init; }
    public DateTimeOffset? WebhookLastDeliveredAt { get; set; }
    public string? WebhookLastError { get; set; }
    public DateTimeOffset? WebhookLastErrorAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public CallerScope Scope => new(Clearance, ScopeNode, ScopeInstitution);

    /// <summary>Takes the scope of the subscriber's current call; true when it changed.</summary>
    public bool Observe(CallerScope scope, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var changed = Clearance != scope.Clearance || ScopeNode != scope.Node || ScopeInstitution != scope.Institution;
        Clearance = scope.Clearance;
        ClearanceRank = SecurityLevels.Rank(scope.Clearance);
        ScopeNode = scope.Node;
        ScopeInstitution = scope.Institution;
        ScopeSeenAt = at;
        return changed;
    }
}
