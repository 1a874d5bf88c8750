using System.Security.Claims;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Subscriptions;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedImaging.Directory.Apis;

/// <summary>资源订阅 / 资源退订 (§4.3.3): a caller's saved queries. Each call refreshes the scope stored with them (ADR 0029).</summary>
public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/subscriptions").WithTags("Subscriptions").RequireAuthorization(Policies.Search);
        group.MapPost("/", Create).WithName("CreateSubscription").WithSummary("Save a query as a subscription (资源订阅), optionally with a webhook");
        group.MapGet("/", List).WithName("ListSubscriptions").WithSummary("The caller's subscriptions, newest first, with each webhook's last outcome");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteSubscription").WithSummary("Unsubscribe (资源退订): no further notifications or webhook calls");
        return app;
    }

    public static async Task<Created<SubscriptionView>> Create(CreateSubscription request, ClaimsPrincipal user, DirectoryDbContext db,
        IOptions<SubscriptionOptions> limits, IOptionsMonitor<WebhookOptions> webhooks, TimeProvider clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        SubscriptionValidation.Check(request, limits.Value, webhooks.CurrentValue);
        var subscriber = user.Subscriber();
        await SubscriberScope.ObserveAsync(db, user, clock, ct);
        if (await db.Subscriptions.CountAsync(s => s.Subscriber == subscriber, ct) >= limits.Value.MaxPerSubscriber)
            throw new ValidationProblemException("Too many subscriptions",
                new Dictionary<string, string[]> { ["subscriptions"] = [$"A subscriber holds at most {limits.Value.MaxPerSubscriber} subscriptions; delete one first."] },
                StatusCodes.Status409Conflict);
        var query = Normalize(request.Query!);
        var secret = request.Webhook is null ? null : request.Webhook.Secret ?? WebhookSignature.NewSecret();
        var subscription = new Subscription
        {
            Subscriber = subscriber, Name = request.Name!.Trim(), Query = query,
            Classifications = [.. query.Classifications], Modalities = [.. query.Modalities], BodyParts = [.. query.BodyParts],
            Institutions = [.. query.Institutions], Nodes = [.. query.Nodes], SecurityClassifications = [.. query.SecurityClassifications], Kinds = [.. query.Kinds],
            WebhookUrl = request.Webhook?.Url, WebhookSecret = secret, CreatedAt = clock.GetUtcNow(),
        };
        subscription.Observe(user.Scope(), clock.GetUtcNow());
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        // The secret is answered this once (the subscriber may have let the directory generate it), never listed again.
        var view = View(subscription, 0, 0);
        return TypedResults.Created($"subscriptions/{subscription.Id}", view with { Webhook = view.Webhook is { } w ? w with { Secret = secret } : null });
    }

    public static async Task<Ok<Paged<SubscriptionView>>> List(ClaimsPrincipal user, DirectoryDbContext db, TimeProvider clock,
        [AsParameters] PageQuery paging, CancellationToken ct)
    {
        await SubscriberScope.ObserveAsync(db, user, clock, ct);
        var subscriber = user.Subscriber();
        var page = await db.Subscriptions.AsNoTracking().Where(s => s.Subscriber == subscriber).OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => new
            {
                Subscription = s,
                Pending = db.WebhookDeliveries.Count(d => d.SubscriptionId == s.Id && d.DeliveredAt == null && d.AbandonedAt == null),
                Abandoned = db.WebhookDeliveries.Count(d => d.SubscriptionId == s.Id && d.AbandonedAt != null),
            })
            .ToPagedAsync(paging, x => View(x.Subscription, x.Pending, x.Abandoned), ct);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<NoContent, NotFound>> Delete(Guid id, ClaimsPrincipal user, DirectoryDbContext db, TimeProvider clock, CancellationToken ct)
    {
        await SubscriberScope.ObserveAsync(db, user, clock, ct);
        var subscriber = user.Subscriber();
        // Someone else's subscription is answered like a missing one: ids are not a way to learn who subscribes to what.
        var deleted = await db.Subscriptions.Where(s => s.Id == id && s.Subscriber == subscriber).ExecuteDeleteAsync(ct);
        return deleted == 0
            ? TypedResults.NotFound()
            : TypedResults.NoContent();
    }

    private static SubscriptionQuery Normalize(SubscriptionQuery q)
    {
        static IReadOnlyList<string> Clean(IReadOnlyList<string>? values) => values is null ? [] : [.. values.Select(v => v.Trim()).Distinct(StringComparer.Ordinal)];
        return q with
        {
            Text = string.IsNullOrWhiteSpace(q.Text) ? null : q.Text.Trim(),
            Classifications = Clean(q.Classifications), Modalities = Clean(q.Modalities), BodyParts = Clean(q.BodyParts),
            Institutions = Clean(q.Institutions), Nodes = Clean(q.Nodes), SecurityClassifications = Clean(q.SecurityClassifications), Kinds = Clean(q.Kinds),
        };
    }

    private static SubscriptionView View(Subscription s, int pending, int abandoned) => new(
        s.Id, s.Name, s.Query,
        s.WebhookUrl is null ? null : new WebhookView(s.WebhookUrl, null, s.WebhookLastDeliveredAt, s.WebhookLastError, s.WebhookLastErrorAt, pending, abandoned),
        new ScopeView(s.Clearance, s.ScopeInstitution, s.ScopeSeenAt), s.CreatedAt);
}
