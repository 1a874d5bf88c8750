using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.ServiceDefaults.Http;

/// <summary>
/// The one paging request of every list: <c>?page=&amp;pageSize=</c> (bind with <c>[AsParameters]</c>). Page numbers start
/// at 1; a size outside 1…<see cref="MaxPageSize"/> or a page below 1 is a 400 naming the parameter and the range —
/// never silently clamped, so a client never believes it got everything when it did not.
/// </summary>
public readonly record struct PageQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    // Named for the query string and the API document as clients write them.
    [FromQuery(Name = "page")] public int? Page { get; init; }

    [FromQuery(Name = "pageSize")] public int? PageSize { get; init; }

    /// <summary>The page asked for, checked: (page, size).</summary>
    public (int Page, int Size) Checked()
    {
        if (PageSize is < 1 or > MaxPageSize)
            throw new ValidationProblemException("pageSize", $"pageSize must be between 1 and {MaxPageSize}; got {PageSize}.");
        if (Page is < 1)
            throw new ValidationProblemException("page", $"page must be 1 or more (pages are numbered from 1); got {Page}.");
        return (Page ?? 1, PageSize ?? DefaultPageSize);
    }
}

/// <summary>The one paging response of every list: <c>{ items, page, pageSize, total }</c>.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public static class Paging
{
    /// <summary>One page of an ordered query, with the total count of the query.</summary>
    public static async Task<Paged<T>> ToPagedAsync<TEntity, T>(this IQueryable<TEntity> query, PageQuery request, Func<TEntity, T> map, CancellationToken ct)
    {
        var (page, size) = request.Checked();
        var total = await query.CountAsync(ct);
        var items = await query.Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<T>([.. items.Select(map)], page, size, total);
    }

    public static Task<Paged<T>> ToPagedAsync<T>(this IQueryable<T> query, PageQuery request, CancellationToken ct)
        => query.ToPagedAsync(request, x => x, ct);

    /// <summary>One page of a list already in memory (small lists built from configuration or a cached aggregate).</summary>
    public static Paged<T> ToPaged<T>(this IEnumerable<T> source, PageQuery request)
    {
        var (page, size) = request.Checked();
        var all = source as IReadOnlyList<T> ?? [.. source];
        return new Paged<T>([.. all.Skip((page - 1) * size).Take(size)], page, size, all.Count);
    }
}
