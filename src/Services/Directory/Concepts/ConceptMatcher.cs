namespace MedImaging.Directory.Concepts;

/// <summary>Where a dictionary term occurs in normalised text, and the concepts it names.</summary>
public readonly record struct ConceptMatch(int Start, int Length, string[] ConceptIds)
{
    public int End => Start + Length;
}

/// <summary>
/// Finds the dictionary's terms in normalised text without segmenting it first. At each position the longest term
/// wins. Where two such terms overlap, the left one yields when a shorter term of its own ends exactly where the right
/// one begins (结节病|灶 is read 结节 + 病灶, 肺结节|病 is read 肺 + 结节病); otherwise both are kept (右肺 and 肺结节 in
/// 右肺结节), since choosing one segmentation would lose whichever concept the writer meant. A match inside another
/// is dropped (肺 and 结节 inside 肺结节). Terms that begin or end with a Latin letter or digit match only at word
/// boundaries ("CT" not in "octreotide"), with an English plural "s"/"es" allowed after them; Chinese terms match anywhere.
/// </summary>
public static class ConceptMatcher
{
    public static IReadOnlyList<ConceptMatch> Find(ConceptVocabulary vocabulary, string text)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(text);
        // Every term at every position, longest first per position.
        var at = new List<ConceptMatch>[text.Length];
        for (var start = 0; start < text.Length; start++)
        {
            at[start] = [];
            if (start > 0 && ConceptText.IsWordChar(text[start]) && ConceptText.IsWordChar(text[start - 1])) continue;
            for (var length = Math.Min(vocabulary.LongestTerm, text.Length - start); length > 0; length--)
            {
                var ids = vocabulary.ConceptsNamed(text.AsSpan(start, length));
                if (ids.Length > 0 && EndOfWord(text, start + length) is { } end) at[start].Add(new ConceptMatch(start, end - start, ids));
            }
        }
        var chosen = at.Where(m => m.Count > 0).Select(m => m[0]).ToList();
        // From the right, so that a right-hand term that yields first no longer overlaps (乳腺结节|病灶 after 结节病 → 结节).
        for (var i = chosen.Count - 2; i >= 0; i--)
        {
            var (left, right) = (chosen[i], chosen[i + 1]);
            if (right.Start < left.End && left.End < right.End && at[left.Start].FirstOrDefault(m => m.End == right.Start) is { ConceptIds: not null } shorter)
                chosen[i] = shorter;
        }
        return [.. chosen.Where(m => !chosen.Any(o => o != m && o.Start <= m.Start && m.End <= o.End))];
    }

    /// <summary>Where a term ending at <paramref name="end"/> really ends, or null when it stops inside a word.</summary>
    private static int? EndOfWord(string text, int end)
    {
        if (end == text.Length || !ConceptText.IsWordChar(text[end - 1]) || !ConceptText.IsWordChar(text[end])) return end;
        foreach (var plural in (string[])["s", "es"])
            if (string.CompareOrdinal(text, end, plural, 0, plural.Length) == 0
                && (end + plural.Length == text.Length || !ConceptText.IsWordChar(text[end + plural.Length])))
                return end + plural.Length;
        return null;
    }
}
