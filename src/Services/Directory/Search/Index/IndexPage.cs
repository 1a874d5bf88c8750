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

    public static Result Run(IndexSearcher searcher, Query query, CatalogSort sort, bool descending, SearchCursor? after, int limit, IReadOnlyList<string> facets)
    {
        var order = Order(sort, descending);
        var n = Math.Max(1, limit);
        var afterDoc = after is null ? null : After(sort, after);
        var leaves = searcher.IndexReader.Leaves;
        // One pass per segment, the segments on all cores: the exact total and facets need every matching document, so
        // a broad query's time is this pass. Each segment's page is merged by the same order.
        // One weight for all segments (what IndexSearcher's own parallel search shares between its slices).
        var weight = searcher.CreateNormalizedWeight(query);
        var parts = new (TopDocs Top, FacetCollector Counts)[leaves.Count];
        void Segment(int i)
        {
            var top = TopFieldCollector.Create(order, n, afterDoc, fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
            var counts = new FacetCollector(facets);
            var collector = MultiCollector.Wrap(top, counts);
            var leaf = leaves[i];
            collector.SetNextReader(leaf);
            weight.GetBulkScorer(leaf, !collector.AcceptsDocsOutOfOrder, leaf.AtomicReader.LiveDocs)?.Score(collector);
            parts[i] = (top.GetTopDocs(), counts);
        }
        if (leaves.Count > 1) Parallel.For(0, leaves.Count, Segment);
        else for (var i = 0; i < leaves.Count; i++) Segment(i);

        var docs = leaves.Count == 0 ? [] : TopDocs.Merge(order, n, [.. parts.Select(p => p.Top)]).ScoreDocs;
        var page = new List<Row>(docs.Length);
        var scratch = new BytesRef();
        foreach (var d in docs.Take(limit))
        {
            var leaf = leaves[ReaderUtil.SubIndex(d.Doc, leaves)];
            var reader = leaf.AtomicReader;
            var doc = d.Doc - leaf.DocBase;
            string Value(string field)
            {
                reader.GetSortedDocValues(field).Get(doc, scratch);
                return scratch.Utf8ToString();
            }
            var ticks = reader.GetNumericDocValues(IndexFields.Published).Get(doc);
            page.Add(new Row(new EntryKey(Value(IndexFields.Origin), Guid.Parse(Value(IndexFields.ResourceId))), d.Score,
                new DateTimeOffset(ticks, TimeSpan.Zero), Value(IndexFields.Title)));
        }
        return new Result(parts.Sum(p => p.Counts.Total), FacetCollector.Merge(facets, parts.Select(p => p.Counts)), page);
    }

    private static Sort Order(CatalogSort sort, bool descending)
    {
        var first = sort switch
        {
            // Lucene's relevance order is descending by nature: reversed means ascending.
            CatalogSort.Relevance => new SortField(null, SortFieldType.SCORE, !descending),
            CatalogSort.Date => new SortField(IndexFields.Published, SortFieldType.INT64, descending),
            _ => new SortField(IndexFields.Title, SortFieldType.STRING, descending),
        };
        return new Sort(first, new SortField(IndexFields.Origin, SortFieldType.STRING), new SortField(IndexFields.ResourceId, SortFieldType.STRING));
    }

    // The cursor as Lucene's "search after" position; its document number is past every document, so an entry equal to
    // the cursor in every sort value (the cursor's own entry) is not returned again.
    private static FieldDoc After(CatalogSort sort, SearchCursor c)
    {
        object first = sort switch
        {
            CatalogSort.Relevance => Boxed.Score((float)c.Score),
            CatalogSort.Date => Boxed.Int64(c.PublishedAt.UtcTicks),
            _ => new BytesRef(IndexFields.SortTitle(c.Title)),
        };
        return new FieldDoc(int.MaxValue, float.NaN, [first, new BytesRef(c.Key.OriginNode), new BytesRef(c.Key.ResourceId.ToString("D"))]);
    }

    // Lucene.NET's comparers take their top value boxed as their own value type (J2N's numerics in some versions, the
    // CLR's in others): box the way the comparer in this assembly expects.
    private static class Boxed
    {
        private static readonly Type ScoreType = ValueType(new SortField(null, SortFieldType.SCORE));
        private static readonly Type LongType = ValueType(new SortField("x", SortFieldType.INT64));

        public static object Score(float f) => ScoreType == typeof(float) ? f : J2N.Numerics.Single.GetInstance(f);

        public static object Int64(long v) => LongType == typeof(long) ? v : J2N.Numerics.Int64.GetInstance(v);

        private static Type ValueType(SortField field)
        {
            for (var t = field.GetComparer(1, 0).GetType(); t is not null; t = t.BaseType)
                if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(FieldComparer<>)) return t.GetGenericArguments()[0];
            throw new InvalidOperationException($"Cannot tell the value type of Lucene's {field.Type} comparer.");
        }
    }
}
