using MedImaging.Directory.Apis;

namespace MedImaging.Directory.Concepts;

/// <summary>Prefix lookup over every label and synonym, for a portal that suggests concepts as the user types.</summary>
public static class ConceptLookup
{
    /// <summary>
    /// Concepts with a term starting with the normalised text, or (English) a word of a term starting with it ("nod" →
    /// "pulmonary nodule"): exact names first, then labels before synonyms, shorter terms before longer, then by id.
    /// </summary>
    public static IReadOnlyList<ConceptHit> Find(ConceptVocabulary dictionary, string text)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var best = new Dictionary<string, (int Rank, string Term)>(StringComparer.Ordinal);
        foreach (var (term, ids) in dictionary.AllTerms)
        {
            var rank = term == text ? 0 : term.StartsWith(text, StringComparison.Ordinal) ? 2 : WordStartsWith(term, text) ? 4 : -1;
            if (rank < 0) continue;
            foreach (var id in ids)
            {
                var c = dictionary.Find(id)!;
                var r = rank + (ConceptText.Normalize(c.LabelZh) == term || ConceptText.Normalize(c.LabelEn) == term ? 0 : 1);
                if (!best.TryGetValue(id, out var seen) || (r, term.Length) .CompareTo((seen.Rank, seen.Term.Length)) < 0) best[id] = (r, term);
            }
        }
        return [.. best.OrderBy(b => b.Value.Rank).ThenBy(b => b.Value.Term.Length).ThenBy(b => b.Key, StringComparer.Ordinal)
            .Select(b => dictionary.Find(b.Key)!).Select(c => new ConceptHit(c.Id, c.Kind, c.LabelZh, c.LabelEn, best[c.Id].Term))];
    }

    private static bool WordStartsWith(string term, string text)
    {
        for (var i = term.IndexOf(' ', StringComparison.Ordinal); i >= 0; i = term.IndexOf(' ', i + 1))
            if (string.CompareOrdinal(term, i + 1, text, 0, text.Length) == 0) return true;
        return false;
    }
}
