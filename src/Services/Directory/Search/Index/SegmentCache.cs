using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// What a search reads of one index segment, kept as plain arrays for as long as the segment lives (a segment never
/// changes; merges make new ones, and a dropped segment's cache goes with it): each condition's match set as a bit
/// set, and the doc values that searches sort and count by as one number per document. A search over a million
/// documents then costs a few array reads per hit (ADR 0030 "Evaluation").
/// </summary>
internal sealed class SegmentCache
{
    /// <summary>Match sets kept per segment; past this the segment's sets start over (1,024 sets of a million documents
    /// are 128 MiB).</summary>
    public const int MaxSets = 1_024;

    private static readonly ConditionalWeakTable<object, SegmentCache> ByCore = new();
    private static readonly ConditionalWeakTable<IBits, long[]> LiveByDeletions = new();

    private readonly ConcurrentDictionary<string, Lazy<long[]>> _sets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<object>> _columns = new(StringComparer.Ordinal);
    private readonly int _maxDoc;

    private SegmentCache(int maxDoc) => _maxDoc = maxDoc;

    public static SegmentCache Of(AtomicReader reader) => ByCore.GetValue(reader.CoreCacheKey, _ => new SegmentCache(reader.MaxDoc));

    /// <summary>Words of a bit set of <paramref name="maxDoc"/> documents.</summary>
    public static int Words(int maxDoc) => (maxDoc + 63) >> 6;

    /// <summary>The documents of the segment that are not deleted (the reader's own view: deletions change per reader).</summary>
    public long[] Live(AtomicReader reader)
    {
        if (reader.LiveDocs is not { } live) return (long[])_columns.GetOrAdd("\u0000all", _ => new Lazy<object>(() => AllDocs(_maxDoc))).Value;
        return LiveByDeletions.GetValue(live, bits =>
        {
            var words = new long[Words(_maxDoc)];
            for (var doc = 0; doc < _maxDoc; doc++)
                if (bits.Get(doc)) words[doc >> 6] |= 1L << doc;
            return words;
        });
    }

    /// <summary>The documents of the segment that match <paramref name="condition"/>, deleted ones included.</summary>
    public long[] Set(AtomicReaderContext leaf, Condition condition)
    {
        if (_sets.TryGetValue(condition.Key, out var cached)) return cached.Value;
        if (_sets.Count >= MaxSets) _sets.Clear();
        return _sets.GetOrAdd(condition.Key, _ => new Lazy<long[]>(() => Find(leaf, condition.Query()))).Value;
    }

    /// <summary>Per document, the ordinal of its value of a single-valued sorted field plus one (0: no value); and the
    /// field's values by ordinal, to be looked up once per counted value.</summary>
    public int[] Ordinals(AtomicReader reader, string field) => (int[])_columns.GetOrAdd("o\u001f" + field, _ => new Lazy<object>(() =>
    {
        var ords = new int[_maxDoc];
        if (reader.GetSortedDocValues(field) is { } values)
            for (var doc = 0; doc < _maxDoc; doc++) ords[doc] = values.GetOrd(doc) + 1;
        return ords;
    })).Value;

    /// <summary>Per document, the ordinals of its values of a multi-valued sorted field: those of document d are
    /// <c>Ords[Start[d]..Start[d + 1]]</c>.</summary>
    public (int[] Start, int[] Ords) MultiOrdinals(AtomicReader reader, string field) => ((int[], int[]))_columns.GetOrAdd("m\u001f" + field, _ => new Lazy<object>(() =>
    {
        var start = new int[_maxDoc + 1];
        var ords = new List<int>();
        var values = reader.GetSortedSetDocValues(field);
        for (var doc = 0; doc < _maxDoc; doc++)
        {
            start[doc] = ords.Count;
            if (values is null) continue;
            values.SetDocument(doc);
            for (var ord = values.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = values.NextOrd()) ords.Add((int)ord);
        }
        start[_maxDoc] = ords.Count;
        return (start, ords.ToArray());
    })).Value;

    /// <summary>Per document, its value of a numeric doc-values field (0 when it has none).</summary>
    public long[] Numbers(AtomicReader reader, string field) => (long[])_columns.GetOrAdd("n\u001f" + field, _ => new Lazy<object>(() =>
    {
        var numbers = new long[_maxDoc];
        if (reader.GetNumericDocValues(field) is { } values)
            for (var doc = 0; doc < _maxDoc; doc++) numbers[doc] = values.Get(doc);
        return numbers;
    })).Value;

    private long[] Find(AtomicReaderContext leaf, Query query)
    {
        var words = new long[Words(_maxDoc)];
        // Without accepted-documents: the set holds for every reader of this segment; deletions apply per search.
        var iterator = new QueryWrapperFilter(query).GetDocIdSet(leaf, null)?.GetIterator();
        if (iterator is null) return words;
        for (var doc = iterator.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.NextDoc()) words[doc >> 6] |= 1L << doc;
        return words;
    }

    private static long[] AllDocs(int maxDoc)
    {
        var words = new long[Words(maxDoc)];
        Array.Fill(words, -1L);
        if ((maxDoc & 63) != 0 && words.Length > 0) words[^1] = (1L << maxDoc) - 1;
        return words;
    }
}
