namespace MedImaging.Directory.Concepts;

/// <summary>
/// Keeps an OR-group of terms small without changing what it matches: a term that contains another term of the group
/// adds nothing (any text containing 右肺上叶 contains 右肺 already), so it is dropped.
/// </summary>
public static class ConceptTerms
{
    /// <summary>The distinct terms, those implied by another dropped, the first <paramref name="max"/> in their order.</summary>
    public static IReadOnlyList<string> Bounded(IEnumerable<string> terms, int max)
    {
        var distinct = terms.Distinct(StringComparer.Ordinal).ToList();
        // Candidates that may imply others, shortest first so that a long term is tested against few.
        var implying = distinct.Where(CanImply).OrderBy(t => t.Length).ToList();
        return [.. distinct.Where(t => !implying.Any(s => s.Length < t.Length && Occurs(s, t))).Take(max)];
    }

    /// <summary>Whether a term of the group already matches every text that contains <paramref name="text"/>.</summary>
    public static bool Implies(IReadOnlyList<string> group, string text) =>
        group.Contains(text, StringComparer.Ordinal) || group.Any(t => CanImply(t) && Occurs(t, text));

    /// <summary>
    /// Only a term an index can look up on its own may stand for longer ones: two characters or more (a single Chinese
    /// character is not a bigram), so 肺 never hides 肺结节 from an engine that indexes bigrams.
    /// </summary>
    private static bool CanImply(string term) => term.Length >= 2;

    /// <summary><paramref name="inner"/> occurs in <paramref name="outer"/>, at word boundaries where it begins or ends with a Latin letter or digit.</summary>
    private static bool Occurs(string inner, string outer)
    {
        for (var i = outer.IndexOf(inner, StringComparison.Ordinal); i >= 0; i = outer.IndexOf(inner, i + 1, StringComparison.Ordinal))
        {
            var end = i + inner.Length;
            var startOk = i == 0 || !ConceptText.IsWordChar(inner[0]) || !ConceptText.IsWordChar(outer[i - 1]);
            var endOk = end == outer.Length || !ConceptText.IsWordChar(inner[^1]) || !ConceptText.IsWordChar(outer[end]);
            if (startOk && endOk) return true;
        }
        return false;
    }
}
