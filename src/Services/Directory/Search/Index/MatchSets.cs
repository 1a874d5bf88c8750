using System.Collections.Concurrent;
using Lucene.Net.Search;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// The documents a text group matches in a field, kept per index segment by Lucene's <see cref="CachingWrapperFilter"/>
/// (compressed sets, dropped with their segment, computed afresh for new segments, so a cached set is never stale).
/// A query that repeats a group another query asked (the concept dictionary expands a popular word into the same
/// dozens of alternatives every time) reads one set instead of every alternative's postings again. Bounded: past
/// <see cref="MaxGroups"/> groups the cache starts over.
/// </summary>
internal static class MatchSets
{
    public const int MaxGroups = 4_000;
    private static readonly ConcurrentDictionary<string, Filter> Filters = new(StringComparer.Ordinal);

    public static Filter For(string key, Func<Query> query)
    {
        if (Filters.TryGetValue(key, out var cached)) return cached;
        if (Filters.Count >= MaxGroups) Filters.Clear();
        return Filters.GetOrAdd(key, _ => new CachingWrapperFilter(new QueryWrapperFilter(query())));
    }
}
