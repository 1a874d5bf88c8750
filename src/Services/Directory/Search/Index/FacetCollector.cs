using Lucene.Net.Index;
using Lucene.Net.Search;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// Counts every matching document (the exact total) and, per asked facet, its values from doc values: per segment by
/// ordinal into an array, turned into strings once at the segment's end, so a million hits cost a million array
/// increments, not a million string lookups.
/// </summary>
internal sealed class FacetCollector(IReadOnlyList<string> facets) : ICollector
{
    private static readonly Dictionary<string, (string Field, bool Multi)> Fields = new(StringComparer.Ordinal)
    {
        [CatalogFacets.Category] = (IndexFields.Category, false),
        [CatalogFacets.Subcategory] = (IndexFields.Subcategory, false),
        [CatalogFacets.Classification] = (IndexFields.Code, false),
        [CatalogFacets.Modality] = (IndexFields.Modality, true),
        [CatalogFacets.BodyPart] = (IndexFields.BodyPart, true),
        [CatalogFacets.Institution] = (IndexFields.Institution, false),
        [CatalogFacets.Node] = (IndexFields.Origin, false),
        [CatalogFacets.SecurityClassification] = (IndexFields.Security, false),
        [CatalogFacets.Kind] = (IndexFields.Kind, false),
        [CatalogFacets.Year] = (IndexFields.Year, false),
    };

    private readonly Dictionary<string, Dictionary<string, long>> _counts = facets.Distinct(StringComparer.Ordinal).ToDictionary(f => f, _ => new Dictionary<string, long>(StringComparer.Ordinal), StringComparer.Ordinal);
    private readonly List<Segment> _segments = [];
    private Segment[] _current = [];

    public long Total { get; private set; }

    public static void Validate(IEnumerable<string> facets)
    {
        foreach (var f in facets)
            if (!Fields.ContainsKey(f))
                throw new ArgumentException($"Unknown facet '{f}'; known: {string.Join(", ", CatalogFacets.All)}.", nameof(facets));
    }

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer) { }

    public void SetNextReader(AtomicReaderContext context)
    {
        Flush();
        var reader = context.AtomicReader;
        _current = [.. facets.Select(f =>
        {
            var (field, multi) = Fields[f];
            if (multi)
            {
                var m = reader.GetSortedSetDocValues(field);
                return new Segment(f, null, m, m is null ? [] : new long[m.ValueCount]);
            }
            var s = reader.GetSortedDocValues(field);
            return new Segment(f, s, null, s is null ? [] : new long[s.ValueCount]);
        })];
        _segments.AddRange(_current);
    }

    public void Collect(int doc)
    {
        Total++;
        foreach (var s in _current)
        {
            if (s.Single is { } single)
            {
                var ord = single.GetOrd(doc);
                if (ord >= 0) s.Counts[ord]++;
            }
            else if (s.Multi is { } multi)
            {
                multi.SetDocument(doc);
                for (var ord = multi.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = multi.NextOrd()) s.Counts[ord]++;
            }
        }
    }

    /// <summary>The facets of several segments' collectors together, each facet's values most frequent first, then by
    /// value (as the SQL engine orders them).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Merge(IReadOnlyList<string> facets, IEnumerable<FacetCollector> parts)
    {
        var all = facets.Distinct(StringComparer.Ordinal).ToDictionary(f => f, _ => new Dictionary<string, long>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var part in parts)
        {
            part.Flush();
            foreach (var (facet, values) in part._counts)
                foreach (var (value, count) in values)
                    all[facet][value] = all[facet].GetValueOrDefault(value) + count;
        }
        return all.ToDictionary(c => c.Key,
            c => (IReadOnlyList<FacetValue>)[.. c.Value.Select(v => new FacetValue(v.Key, v.Value)).OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal)],
            StringComparer.Ordinal);
    }

    private void Flush()
    {
        foreach (var s in _segments)
        {
            var into = _counts[s.Facet];
            var scratch = new Lucene.Net.Util.BytesRef();
            for (var ord = 0; ord < s.Counts.Length; ord++)
            {
                if (s.Counts[ord] == 0) continue;
                if (s.Single is not null) s.Single.LookupOrd(ord, scratch);
                else s.Multi!.LookupOrd(ord, scratch);
                var value = scratch.Utf8ToString();
                into[value] = into.GetValueOrDefault(value) + s.Counts[ord];
            }
        }
        _segments.Clear();
    }

    private sealed record Segment(string Facet, SortedDocValues? Single, SortedSetDocValues? Multi, long[] Counts);
}
