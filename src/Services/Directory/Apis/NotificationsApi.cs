using System.Security.Claims;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.Directory.Subscriptions;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Apis;

public sealed record NotificationView(Guid Id, Guid SubscriptionId, string SubscriptionName, DateTimeOffset MatchedAt, DateTimeOffset? ReadAt, EntrySummary Entry);

/// <summary>
/// The subscriber's notifications. Each is joined to its entry through the search's visible set in the caller's scope
/// now: one whose entry was withdrawn, or is above a clearance lowered since, is not listed (ADR 0029).
/// </summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/notifications").WithTags("Subscriptions").RequireAuthorization(Policies.Search);
        group.MapGet("/", List).WithName("ListNotifications").WithSummary("The caller's notifications, newest first; unread=true for the unread only");
        group.MapPost("/{id:guid}/read", MarkRead).WithName("MarkNotificationRead").WithSummary("Mark a notification read");
        return app;
    }

    public static async Task<Ok<Paged<NotificationView>>> List(ClaimsPrincipal user, DirectoryDbContext db, ICatalogSearch search, TimeProvider clock,
        [AsParameters] PageQuery paging, [FromQuery] bool? unread, CancellationToken ct)
    {
        await SubscriberScope.ObserveAsync(db, user, clock, ct);
        var subscriber = user.Subscriber();
        var onlyUnread = unread == true;
        var rows = from n in db.Notifications.AsNoTracking()
                   where n.Subscriber == subscriber && (!onlyUnread || n.ReadAt == null)
                   join e in search.Visible(user.Scope()) on new { n.OriginNode, n.ResourceId } equals new { e.OriginNode, e.ResourceId }
                   orderby n.MatchedAt descending, n.Id descending
                   select new { n, e };
        return TypedResults.Ok(await rows.ToPagedAsync(paging,
            x => new NotificationView(x.n.Id, x.n.SubscriptionId, x.n.SubscriptionName, x.n.MatchedAt, x.n.ReadAt, EntrySummary.Of(x.e)), ct));
    }

    public static async Task<Results<NoContent, NotFound>> MarkRead(Guid id, ClaimsPrincipal user, DirectoryDbContext db, ICatalogSearch search, TimeProvider clock,
        CancellationToken ct)
    {
        await SubscriberScope.ObserveAsync(db, user, clock, ct);
        var subscriber = user.Subscriber();
        var visible = search.Visible(user.Scope());
        var now = clock.GetUtcNow();
        // Someone else's, or one whose entry the caller may no longer see, is answered like a missing one.
        var updated = await db.Notifications
            .Where(n => n.Id == id && n.Subscriber == subscriber && visible.Any(e => e.OriginNode == n.OriginNode && e.ResourceId == n.ResourceId))
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, n => n.ReadAt ?? now), ct);
        return updated == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
