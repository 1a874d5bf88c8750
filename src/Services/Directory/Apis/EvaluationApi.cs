using System.Security.Claims;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.Directory.Subscriptions;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Apis;

public sealed record RateEntry(int? Stars);

public sealed record RatingSummary(double? Average, int Count);

public sealed record RatingView(int Stars, RatingSummary Entry);

public sealed record PostComment(string? Text);

public sealed record CommentView(Guid Id, string AuthorName, string Text, DateTimeOffset CreatedAt, bool Mine);

/// <summary>What an entry's statistics show: its use (§4.8.6 g), its rating and how many comments it has.</summary>
public sealed record EntryStatistics(long Views, long SearchHits, long Requests, long Downloads, RatingSummary Rating, int Comments, int? YourRating);

/// <summary>
/// 资源评估 (§4.3.3): ratings and comments on the entries a caller may see; an entry the caller may not see answers 404
/// exactly as a missing one, on every operation, so that the operations reveal nothing about hidden entries.
/// </summary>
public static class EvaluationApi
{
    public static IEndpointRouteBuilder MapEvaluationApi(this IEndpointRouteBuilder app)
    {
        var entry = app.MapGroup("/entries/{originNode}/{resourceId:guid}").WithTags("Evaluation");
        entry.MapPut("/rating", Rate).RequireAuthorization(Policies.Search)
            .WithName("RateEntry").WithSummary("Rate the entry 1–5 (one rating per user; rating again changes it)");
        entry.MapPost("/comments", Comment).RequireAuthorization(Policies.Search)
            .WithName("CommentOnEntry").WithSummary($"Comment on the entry (1–{EntryComment.MaxLength} characters)");
        entry.MapGet("/comments", Comments).RequireAuthorization(Policies.Discover)
            .WithName("ListEntryComments").WithSummary("The entry's comments, newest first");
        entry.MapDelete("/comments/{commentId:guid}", DeleteComment).RequireAuthorization(Policies.Search)
            .WithName("DeleteEntryComment").WithSummary("Delete a comment (its author, or an admin)");
        entry.MapGet("/statistics", Statistics).RequireAuthorization(Policies.Discover)
            .WithName("EntryStatistics").WithSummary("The entry's views, search hits, requests, downloads, average rating and comment count");
        return app;
    }

    public static async Task<Results<Ok<RatingView>, NotFound>> Rate(string originNode, Guid resourceId, RateEntry request, ClaimsPrincipal user,
        DirectoryDbContext db, ICatalogSearch search, TimeProvider clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!await VisibleAsync(search, user, originNode, resourceId, ct)) return TypedResults.NotFound();
        if (request.Stars is not { } stars || stars < EntryRating.Min || stars > EntryRating.Max)
            throw new ValidationProblemException("stars", $"A rating is a whole number of stars from {EntryRating.Min} to {EntryRating.Max}; got {request.Stars?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
        var rater = user.Subscriber();
        var now = clock.GetUtcNow();
        // One statement, so two ratings of one user at once end as one row (the last), never a key violation.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO directory.entry_ratings (origin_node, resource_id, rater, stars, rated_at) VALUES ({originNode}, {resourceId}, {rater}, {stars}, {now})
            ON CONFLICT (origin_node, resource_id, rater) DO UPDATE SET stars = excluded.stars, rated_at = excluded.rated_at
            """, ct);
        return TypedResults.Ok(new RatingView(stars, await SummaryAsync(db, originNode, resourceId, ct)));
    }

    public static async Task<Results<Created<CommentView>, NotFound>> Comment(string originNode, Guid resourceId, PostComment request, ClaimsPrincipal user,
        DirectoryDbContext db, ICatalogSearch search, TimeProvider clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!await VisibleAsync(search, user, originNode, resourceId, ct)) return TypedResults.NotFound();
        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > EntryComment.MaxLength)
            throw new ValidationProblemException("text", $"A comment has 1–{EntryComment.MaxLength} characters; got {text?.Length ?? 0}.");
        var comment = new EntryComment
        {
            OriginNode = originNode, ResourceId = resourceId, Author = user.Subscriber(), AuthorName = user.Actor(), Text = text, CreatedAt = clock.GetUtcNow(),
        };
        db.EntryComments.Add(comment);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"comments/{comment.Id}", new CommentView(comment.Id, comment.AuthorName, comment.Text, comment.CreatedAt, true));
    }

    public static async Task<Results<Ok<Paged<CommentView>>, NotFound>> Comments(string originNode, Guid resourceId, ClaimsPrincipal user,
        DirectoryDbContext db, ICatalogSearch search, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        paging.Checked(); // a bad page is a 400 whether or not the entry exists, as on every list
        if (!await VisibleAsync(search, user, originNode, resourceId, ct)) return TypedResults.NotFound();
        var me = user.Identity?.IsAuthenticated == true ? user.Subscriber() : null;
        var page = await db.EntryComments.AsNoTracking().Where(c => c.OriginNode == originNode && c.ResourceId == resourceId)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .ToPagedAsync(paging, c => new CommentView(c.Id, c.AuthorName, c.Text, c.CreatedAt, c.Author == me), ct);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult>> DeleteComment(string originNode, Guid resourceId, Guid commentId, ClaimsPrincipal user,
        DirectoryDbContext db, ICatalogSearch search, CancellationToken ct)
    {
        if (!await VisibleAsync(search, user, originNode, resourceId, ct)) return TypedResults.NotFound();
        var comment = await db.EntryComments.SingleOrDefaultAsync(c => c.Id == commentId && c.OriginNode == originNode && c.ResourceId == resourceId, ct);
        if (comment is null) return TypedResults.NotFound();
        if (comment.Author != user.Subscriber() && !user.IsInRole(Roles.Admin)) return TypedResults.Forbid();
        db.EntryComments.Remove(comment);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<EntryStatistics>, NotFound>> Statistics(string originNode, Guid resourceId, ClaimsPrincipal user,
        DirectoryDbContext db, ICatalogSearch search, CancellationToken ct)
    {
        if (!await VisibleAsync(search, user, originNode, resourceId, ct)) return TypedResults.NotFound();
        var usage = await db.UsageCounts.AsNoTracking().Where(u => u.OriginNode == originNode && u.ResourceId == resourceId)
            .GroupBy(u => u.Kind).Select(g => new { Kind = g.Key, Count = g.Sum(u => u.Count) }).ToDictionaryAsync(x => x.Kind, x => x.Count, ct);
        var comments = await db.EntryComments.CountAsync(c => c.OriginNode == originNode && c.ResourceId == resourceId, ct);
        int? yours = null;
        if (user.Identity?.IsAuthenticated == true)
        {
            var me = user.Subscriber();
            yours = await db.EntryRatings.Where(r => r.OriginNode == originNode && r.ResourceId == resourceId && r.Rater == me).Select(r => (int?)r.Stars).SingleOrDefaultAsync(ct);
        }
        return TypedResults.Ok(new EntryStatistics(
            usage.GetValueOrDefault(UsageKind.View), usage.GetValueOrDefault(UsageKind.SearchHit), usage.GetValueOrDefault(UsageKind.Request),
            usage.GetValueOrDefault(UsageKind.Download), await SummaryAsync(db, originNode, resourceId, ct), comments, yours));
    }

    private static Task<bool> VisibleAsync(ICatalogSearch search, ClaimsPrincipal user, string originNode, Guid resourceId, CancellationToken ct) =>
        search.Visible(user.Scope()).AnyAsync(e => e.OriginNode == originNode && e.ResourceId == resourceId, ct);

    private static async Task<RatingSummary> SummaryAsync(DirectoryDbContext db, string originNode, Guid resourceId, CancellationToken ct)
    {
        var s = await db.EntryRatings.AsNoTracking().Where(r => r.OriginNode == originNode && r.ResourceId == resourceId)
            .GroupBy(_ => 1).Select(g => new { Average = g.Average(r => (double)r.Stars), Count = g.Count() }).SingleOrDefaultAsync(ct);
        return s is null ? new RatingSummary(null, 0) : new RatingSummary(Math.Round(s.Average, 2), s.Count);
    }
}
