using Lucene.Net.Index;
using Lucene.Net.Util;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// One segment's counts of the asked facets' values over the matching documents: by ordinal into an array (the
/// segment's cached ordinals, <see cref="SegmentCache"/>), turned into strings once at the segment's end, so a million
/// hits cost a million array increments, not a million string lookups.
/// </summary>
internal sealed class FacetCounts
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

    private readonly AtomicReader _reader;
    private readonly Facet[] _facets;

    public FacetCounts(AtomicReader reader, SegmentCache cache, IReadOnlyList<string> facets)
    {
        _reader = reader;
        _facets = [.. facets.Distinct(StringComparer.Ordinal).Select(f =>
        {
            var (field, multi) = Fields[f];
            if (!multi)
            {
                var ords = cache.Ordinals(reader, field);
                return new Facet(f, field, ords, null, null, new int[(reader.GetSortedDocValues(field)?.ValueCount ?? 0) + 1]);
            }
            var (start, all) = cache.MultiOrdinals(reader, field);
            return new Facet(f, field, null, start, all, new int[reader.GetSortedSetDocValues(field)?.ValueCount is { } n ? (int)n : 0]);
        })];
    }

    public static void Validate(IEnumerable<string> facets)
    {
        foreach (var f in facets)
            if (!Fields.ContainsKey(f))
                throw new ArgumentException($"Unknown facet '{f}'; known: {string.Join(", ", CatalogFacets.All)}.", nameof(facets));
    }

    public bool Any => _facets.Length > 0;

    public void Count(int doc)
    {
        foreach (var f in _facets)
        {
            if (f.Single is { } single)
            {
                // Ordinal plus one: slot 0 counts the documents without a value, which no facet lists.
                f.Counts[single[doc]]++;
                continue;
            }
            var ords = f.MultiOrds!;
            for (int i = f.MultiStart![doc], end = f.MultiStart[doc + 1]; i < end; i++) f.Counts[ords[i]]++;
        }
    }

    /// <summary>This segment's counts by value.</summary>
    public Dictionary<string, Dictionary<string, long>> ByValue()
    {
        var result = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var scratch = new BytesRef();
        foreach (var f in _facets)
        {
            var into = result[f.Name] = new Dictionary<string, long>(StringComparer.Ordinal);
            if (f.Single is not null)
            {
                var values = _reader.GetSortedDocValues(f.Field);
                for (var slot = 1; slot < f.Counts.Length; slot++)
                {
                    if (f.Counts[slot] == 0) continue;
                    values.LookupOrd(slot - 1, scratch);
                    into[scratch.Utf8ToString()] = f.Counts[slot];
                }
                continue;
            }
            var multi = _reader.GetSortedSetDocValues(f.Field);
            for (var ord = 0; ord < f.Counts.Length; ord++)
            {
                if (f.Counts[ord] == 0) continue;
                multi.LookupOrd(ord, scratch);
                into[scratch.Utf8ToString()] = f.Counts[ord];
            }
        }
        return result;
    }

    /// <summary>The facets of several segments together, each facet's values most frequent first, then by value (as
    /// the SQL engine orders them).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Merge(IReadOnlyList<string> facets, IEnumerable<Dictionary<string, Dictionary<string, long>>> parts)
    {
        var all = facets.Distinct(StringComparer.Ordinal).ToDictionary(f => f, _ => new Dictionary<string, long>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var part in parts)
            foreach (var (facet, values) in part)
                foreach (var (value, count) in values)
                    all[facet][value] = all[facet].GetValueOrDefault(value) + count;
        return all.ToDictionary(c => c.Key,
            c => (IReadOnlyList<FacetValue>)[.. c.Value.Select(v => new FacetValue(v.Key, v.Value)).OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal)],
            StringComparer.Ordinal);
    }

    private sealed record Facet(string Name, string Field, int[]? Single, int[]? MultiStart, int[]? MultiOrds, int[] Counts);
}
