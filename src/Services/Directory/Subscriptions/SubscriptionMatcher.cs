using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Subscriptions;

/// <summary>
/// Finds the subscriptions a published entry matches and stages a notification (and a webhook delivery) for each, in the
/// caller's transaction. Cost per publication (ADR 0029): one SQL pass over the subscriptions that keeps only those
/// whose filters and stored scope admit the entry (array overlaps, a clearance rank, the institution), then one search
/// per distinct (query, scope) among them, each restricted to the entry's key — so an index lookup, not a scan.
/// </summary>
public sealed class SubscriptionMatcher(DirectoryDbContext db, ICatalogSearch search, ILogger<SubscriptionMatcher> logger)
{
    private const int Chunk = 500;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    // Node-wide with the highest clearance: reads the entry itself, whoever may see it (the subscribers' scopes come next).
    private static readonly CallerScope Everything = new(SecurityLevels.Confidential, null, null);

    /// <summary>Stages the notifications the entry's current publication earns; returns how many.</summary>
    public async Task<int> MatchAsync(EntryKey key, CancellationToken ct)
    {
        var entry = await search.Visible(Everything).Where(e => e.OriginNode == key.OriginNode && e.ResourceId == key.ResourceId).SingleOrDefaultAsync(ct);
        if (entry is null) return 0; // withdrawn, revising or unclassified: nobody is told of it
        var matched = 0;
        // Chunks by offset: what the prefilter admits does not change while this transaction runs (the notifications it
        // stages are saved by the caller, after the last chunk).
        for (var offset = 0; ; offset += Chunk)
        {
            var candidates = await Candidates(entry).OrderBy(s => s.Id).Skip(offset).Take(Chunk).ToListAsync(ct);
            if (candidates.Count == 0) break;
            // Subscribers with the same query and scope get one evaluation between them.
            foreach (var group in candidates.GroupBy(s => (JsonSerializer.Serialize(s.Query, Json), s.Clearance, s.ScopeInstitution)))
            {
                var first = group.First();
                var hit = await search.KeysAsync(first.Query.ForEntry(key), first.Scope, 1, ct);
                if (hit.Count == 0) continue;
                foreach (var subscription in group)
                {
                    Stage(subscription, entry);
                    matched++;
                }
            }
        }
        if (matched > 0) logger.LogInformation("Entry {Origin}/{ResourceId} matched {Count} subscriptions", key.OriginNode, key.ResourceId, matched);
        return matched;
    }

    private IQueryable<Subscription> Candidates(CatalogEntry e)
    {
        var rank = SecurityLevels.Rank(e.SecurityClassification);
        string[] codes = [.. new[] { e.Category, e.Subcategory, e.ClassificationCode }.OfType<string>()];
        var modalities = e.Modalities.ToArray();
        var bodyParts = e.BodyParts.ToArray();
        var institution = e.Institution ?? "";
        var classification = e.SecurityClassification ?? "";
        return db.Subscriptions.AsNoTracking().Where(s =>
            s.ClearanceRank >= rank
            && (s.ScopeInstitution == null || s.ScopeInstitution == institution)
            && (s.Classifications.Count == 0 || s.Classifications.Any(c => codes.Contains(c)))
            && (s.Modalities.Count == 0 || s.Modalities.Any(m => modalities.Contains(m)))
            && (s.BodyParts.Count == 0 || s.BodyParts.Any(b => bodyParts.Contains(b)))
            && (s.Institutions.Count == 0 || s.Institutions.Contains(institution))
            && (s.Nodes.Count == 0 || s.Nodes.Contains(e.OriginNode))
            && (s.SecurityClassifications.Count == 0 || s.SecurityClassifications.Contains(classification))
            && (s.Kinds.Count == 0 || s.Kinds.Contains(e.Kind))
            // Told once per entry: a republication or a redelivered fact finds the notification and skips the subscription.
            && !db.Notifications.Any(n => n.SubscriptionId == s.Id && n.OriginNode == e.OriginNode && n.ResourceId == e.ResourceId));
    }

    private void Stage(Subscription s, CatalogEntry entry)
    {
        var notification = new Notification
        {
            SubscriptionId = s.Id, Subscriber = s.Subscriber, SubscriptionName = s.Name,
            OriginNode = entry.OriginNode, ResourceId = entry.ResourceId, RecordVersion = entry.RecordVersion,
        };
        db.Notifications.Add(notification);
        if (s.WebhookUrl is null) return;
        var payload = new WebhookPayload(WebhookPayload.EntryMatched, notification.Id, s.Id, s.Name, notification.MatchedAt, EntrySummary.Of(entry));
        db.WebhookDeliveries.Add(new WebhookDelivery { SubscriptionId = s.Id, NotificationId = notification.Id, Body = JsonSerializer.Serialize(payload, Json) });
    }
}
