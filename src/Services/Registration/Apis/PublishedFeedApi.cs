using MedImaging.Contracts.Registration;
using MedImaging.Registration.Auditing;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Apis;

/// <summary>
/// Every entry of this node in state published, as the directory is told about it (<see cref="PublishedRecord"/>): the
/// feed the Directory service rebuilds its read model from (ADR 0024). Keyset-paged on the entry id — no OFFSET, so the
/// millionth entry costs what the first does, and an entry published meanwhile never shifts a page — and filtered by
/// the caller's scope like every read of entries.
/// </summary>
public static class PublishedFeedApi
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 2000;

    /// <summary>One page: the records in id order, and the cursor of the next page (null after the last).</summary>
    public sealed record PublishedPage(IReadOnlyList<ResourcePublished> Items, int Limit, string? NextCursor);

    public static IEndpointRouteBuilder MapPublishedFeedApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/published", Feed).WithName("ListPublishedEntries").WithTags("Published entries feed")
            .WithSummary($"Every published entry as its ResourcePublished record, keyset-paged by id (after = the previous page's nextCursor, limit 1–{MaxLimit}, default {DefaultLimit}); for the directory's rebuild")
            .RequireAuthorization(Policies.Federation);
        return app;
    }

    public static async Task<Ok<PublishedPage>> Feed(RegistrationDbContext db, ServiceHostContext host, HttpContext http,
        [FromQuery(Name = "after")] string? after, [FromQuery(Name = "limit")] int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            throw new ValidationProblemException("limit", $"limit must be between 1 and {MaxLimit}; got {limit}.");
        var cursor = Guid.Empty;
        if (!string.IsNullOrEmpty(after) && !Guid.TryParse(after, out cursor))
            throw new ValidationProblemException("after", $"after must be the nextCursor of the previous page (an entry id); got '{after}'.");
        var size = limit ?? DefaultLimit;

        // One row more than asked tells whether there is a next page without counting.
        var entries = await db.Resources.AsNoTracking().VisibleTo(http.User.Scope())
            .Where(r => r.State == WorkflowState.Published && r.Id > cursor)
            .OrderBy(r => r.Id).Take(size + 1).ToListAsync(ct);
        var more = entries.Count > size;
        if (more) entries.RemoveAt(size);

        var ids = entries.Select(r => r.Id).ToList();
        var studyIds = entries.Where(r => r.StudyId is not null).Select(r => r.StudyId!.Value).ToList();
        var studies = await db.Studies.AsNoTracking().Where(s => studyIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var series = (await db.Series.AsNoTracking().Where(s => studyIds.Contains(s.StudyId)).ToListAsync(ct)).ToLookup(s => s.StudyId);
        // When and by whom each entry was (last) published: the event said so, and so does its record here.
        var published = (await db.ResourceTransitions.AsNoTracking()
                .Where(t => ids.Contains(t.ResourceId) && t.Action == WorkflowAction.Publish)
                .Select(t => new { t.ResourceId, t.At, t.Actor }).ToListAsync(ct))
            .GroupBy(t => t.ResourceId).ToDictionary(g => g.Key, g => g.MaxBy(t => t.At)!);

        var origin = host.RequiredNode.NodeId;
        var items = entries.Select(r =>
        {
            var study = r.StudyId is { } sid ? studies.GetValueOrDefault(sid) : null;
            var step = published.GetValueOrDefault(r.Id);
            var record = PublishedRecord.From(r, study, study is null ? [] : [.. series[study.Id]], origin, step?.Actor ?? r.UpdatedBy ?? "unknown");
            return record with { OccurredAt = step?.At ?? r.UpdatedAt };
        }).ToList();

        // Entries classified restricted or above are audited as read, as every list of entries does.
        await RegistrationAudit.WriteReadsAsync(http, entries.Select(r => RegistrationAudit.Entry(r)), "published-feed", ct);
        return TypedResults.Ok(new PublishedPage(items, size, more ? entries[^1].Id.ToString() : null));
    }
}
