using System.Buffers;
using System.Numerics;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// One pass over the matching documents: the exact total and facet counts of all of them, and the page after the
/// cursor in the query's order (sort value, then origin node and resource id, as the SQL engine orders).
/// </summary>
internal static class IndexPage
{
    public sealed record Row(EntryKey Key, double Score, DateTimeOffset PublishedAt, string Title);

    public sealed record Result(long Total, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets, IReadOnlyList<Row> Page);

    public static Result Run(IndexSearcher searcher, IndexPlan plan, CatalogSort sort, bool descending, SearchCursor? after, int limit, IReadOnlyList<string> facets)
    {
        var n = Math.Max(1, limit);
        var leaves = searcher.IndexReader.Leaves;
        // The exact total and facets need every matching document, so a broad query's time is this pass: one per
        // segment, the segments on all cores, each segment's page then merged by the same order.
        var parts = new SegmentPass.Result[leaves.Count];
        if (leaves.Count > 1) Parallel.For(0, leaves.Count, i => parts[i] = SegmentPass.Run(leaves[i], plan, sort, descending, after, n, facets));
        else for (var i = 0; i < leaves.Count; i++) parts[i] = SegmentPass.Run(leaves[i], plan, sort, descending, after, n, facets);

        var rows = parts.SelectMany(p => p.Rows).ToList();
        rows.Sort((a, b) => SegmentPass.Compare(a, b, sort, descending));
        var page = rows.Take(limit).Select(r => new Row(new EntryKey(r.Origin.Utf8ToString(), Guid.Parse(r.ResourceId.Utf8ToString())), r.Score,
            new DateTimeOffset(r.Ticks, TimeSpan.Zero), r.Title.Utf8ToString())).ToList();
        return new Result(parts.Sum(p => p.Total), FacetCounts.Merge(facets, parts.Select(p => p.Facets)), page);
    }
}

/// <summary>
/// The plan over one segment, on its cached bit sets and columns (<see cref="SegmentCache"/>): the conditions ANDed
/// word by word, then each matching document counted, scored and offered to a bounded heap of the best
/// <c>n</c> in the query's order. Cheaper per hit than Lucene's scorers and collectors by an order of magnitude, which
/// is what a million hits need (ADR 0030 "Evaluation").
/// </summary>
internal static class SegmentPass
{
    public sealed record PageRow(double Score, long Ticks, BytesRef Title, BytesRef Origin, BytesRef ResourceId);

    public sealed record Result(long Total, Dictionary<string, Dictionary<string, long>> Facets, IReadOnlyList<PageRow> Rows);

    // A document's place in the order: ascending (Primary, Origin, ResourceId). Primary is the sort value signed so
    // that smaller comes first; origin and resource id are ordinals doubled (a cursor's value between two ordinals is
    // odd). Within one segment only: across segments rows compare by value (Compare).
    private readonly record struct Place(long Primary, int Origin, int ResourceId, int Doc);

    public static Result Run(AtomicReaderContext leaf, IndexPlan plan, CatalogSort sort, bool descending, SearchCursor? after, int n, IReadOnlyList<string> facetNames)
    {
        var reader = leaf.AtomicReader;
        var cache = SegmentCache.Of(reader);
        var length = SegmentCache.Words(reader.MaxDoc);
        var words = ArrayPool<long>.Shared.Rent(Math.Max(1, length));
        try
        {
            Array.Copy(cache.Live(reader), words, length);
            foreach (var filter in plan.Filters) And(words, cache.Set(leaf, filter), length);
            var groups = plan.Groups.Select(g => g.Select(c => cache.Set(leaf, c)).ToArray()).ToArray();
            foreach (var group in groups) AndAny(words, group, length);

            var facets = new FacetCounts(reader, cache, facetNames);
            var published = cache.Numbers(reader, IndexFields.Published);
            var origin = cache.Ordinals(reader, IndexFields.Origin);
            var resourceId = cache.Ordinals(reader, IndexFields.ResourceId);
            var title = sort == CatalogSort.Title ? cache.Ordinals(reader, IndexFields.Title) : null;
            var sign = descending ? -1L : 1L;
            long Primary(int doc) => sort switch
            {
                // Scores are never negative, so their bits order as the scores do.
                CatalogSort.Relevance => sign * BitConverter.SingleToInt32Bits(Score(groups, doc)),
                CatalogSort.Date => sign * published[doc],
                _ => sign * 2L * title![doc],
            };
            var cursor = after is null ? (Place?)null : CursorPlace(reader, after, sort, sign);

            var heap = new Heap(n);
            long total = 0;
            for (var w = 0; w < length; w++)
            {
                var word = words[w];
                total += BitOperations.PopCount((ulong)word);
                while (word != 0)
                {
                    var doc = (w << 6) + BitOperations.TrailingZeroCount(word);
                    word &= word - 1;
                    if (facets.Any) facets.Count(doc);
                    var place = new Place(Primary(doc), 2 * origin[doc], 2 * resourceId[doc], doc);
                    if (cursor is { } c && Before(place, c) <= 0) continue;
                    heap.Offer(place);
                }
            }
            return new Result(total, facets.ByValue(), Rows(reader, heap.Items, groups, published));
        }
        finally
        {
            ArrayPool<long>.Shared.Return(words);
        }
    }

    /// <summary>Rows of different segments in the query's order, by their values.</summary>
    public static int Compare(PageRow a, PageRow b, CatalogSort sort, bool descending)
    {
        var first = sort switch
        {
            CatalogSort.Relevance => a.Score.CompareTo(b.Score),
            CatalogSort.Date => a.Ticks.CompareTo(b.Ticks),
            _ => a.Title.CompareTo(b.Title),
        };
        if (first != 0) return descending ? -first : first;
        var byOrigin = a.Origin.CompareTo(b.Origin);
        return byOrigin != 0 ? byOrigin : a.ResourceId.CompareTo(b.ResourceId);
    }

    // The sum over the groups of each group's best field: the first of its fields (by falling weight) that matches.
    private static float Score(long[][][] groups, int doc)
    {
        var score = 0f;
        var w = doc >> 6;
        var bit = 1L << doc;
        foreach (var fields in groups)
            for (var f = 0; f < fields.Length; f++)
                if ((fields[f][w] & bit) != 0)
                {
                    score += IndexPlan.FieldWeights[f];
                    break;
                }
        return score;
    }

    private static List<PageRow> Rows(AtomicReader reader, IEnumerable<Place> places, long[][][] groups, long[] published)
    {
        var origins = reader.GetSortedDocValues(IndexFields.Origin);
        var ids = reader.GetSortedDocValues(IndexFields.ResourceId);
        var titles = reader.GetSortedDocValues(IndexFields.Title);
        return [.. places.Select(p =>
        {
            BytesRef Value(SortedDocValues values)
            {
                var b = new BytesRef();
                values.Get(p.Doc, b);
                return BytesRef.DeepCopyOf(b);
            }
            return new PageRow(Score(groups, p.Doc), published[p.Doc], Value(titles), Value(origins), Value(ids));
        })];
    }

    // The cursor's place in this segment: its values as doubled ordinals, odd where this segment lacks the value.
    private static Place CursorPlace(AtomicReader reader, SearchCursor c, CatalogSort sort, long sign)
    {
        var primary = sort switch
        {
            CatalogSort.Relevance => sign * BitConverter.SingleToInt32Bits((float)c.Score),
            CatalogSort.Date => sign * c.PublishedAt.UtcTicks,
            _ => sign * Between(reader, IndexFields.Title, IndexFields.SortTitle(c.Title)),
        };
        return new Place(primary, Between(reader, IndexFields.Origin, c.Key.OriginNode), Between(reader, IndexFields.ResourceId, c.Key.ResourceId.ToString("D")), int.MaxValue);
    }

    // Ordinals here are a document's ordinal plus one, doubled: a value present at ordinal k is 2(k + 1); a value absent,
    // which would be inserted at k, lies between ordinals k - 1 and k: 2k + 1.
    private static int Between(AtomicReader reader, string field, string value)
    {
        if (reader.GetSortedDocValues(field) is not { } values) return 1;
        var found = values.LookupTerm(new BytesRef(value));
        return found >= 0 ? 2 * (found + 1) : 2 * (-found - 1) + 1;
    }

    // Negative when a comes before b in the order, positive after, 0 when equal in every sort value.
    private static int Before(Place a, Place b)
    {
        if (a.Primary != b.Primary) return a.Primary < b.Primary ? -1 : 1;
        if (a.Origin != b.Origin) return a.Origin < b.Origin ? -1 : 1;
        return a.ResourceId.CompareTo(b.ResourceId);
    }

    private static void And(long[] words, long[] set, int length)
    {
        for (var i = 0; i < length; i++) words[i] &= set[i];
    }

    private static void AndAny(long[] words, long[][] sets, int length)
    {
        for (var i = 0; i < length; i++)
        {
            if (words[i] == 0) continue;
            long any = 0;
            foreach (var set in sets) any |= set[i];
            words[i] &= any;
        }
    }

    /// <summary>The best <c>n</c> places seen: a max-heap by order, whose root is the first to give way.</summary>
    private sealed class Heap(int n)
    {
        private readonly Place[] _items = new Place[n];
        private int _count;

        public IEnumerable<Place> Items => _items.Take(_count);

        public void Offer(Place p)
        {
            if (_count < _items.Length)
            {
                _items[_count] = p;
                for (var i = _count++; i > 0 && Before(_items[(i - 1) / 2], _items[i]) < 0; i = (i - 1) / 2)
                    (_items[i], _items[(i - 1) / 2]) = (_items[(i - 1) / 2], _items[i]);
                return;
            }
            if (Before(p, _items[0]) >= 0) return;
            _items[0] = p;
            for (var i = 0; ;)
            {
                int l = 2 * i + 1, r = l + 1, worst = i;
                if (l < _count && Before(_items[l], _items[worst]) > 0) worst = l;
                if (r < _count && Before(_items[r], _items[worst]) > 0) worst = r;
                if (worst == i) break;
                (_items[i], _items[worst]) = (_items[worst], _items[i]);
                i = worst;
            }
        }
    }
}
