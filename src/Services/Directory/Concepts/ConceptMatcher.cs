namespace MedImaging.Directory.Concepts;

/// <summary>Where a dictionary term occurs in normalised text, and the concepts it names.</summary>
public readonly record struct ConceptMatch(int Start, int Length, string[] ConceptIds)
{
    public int End => Start + Length;
}

/// <summary>
/// Finds the dictionary's terms in normalised text without segmenting it first. At each position the longest term
/// wins; then a match that lies inside another is dropped (肺 and 结节 inside 肺结节), while overlapping ones are all
/// kept (右肺 and 肺结节 in 右肺结节): choosing one segmentation would lose whichever concept the writer meant.
/// Terms that begin or end with a Latin letter or digit match only at word boundaries ("CT" not in "octreotide"),
/// with an English plural "s"/"es" allowed after them; Chinese terms match anywhere.
/// </summary>
public static class ConceptMatcher
{
    public static IReadOnlyList<ConceptMatch> Find(ConceptVocabulary dictionary, string text)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<ConceptMatch>();
        for (var start = 0; start < text.Length; start++)
        {
            if (start > 0 && ConceptText.IsWordChar(text[start]) && ConceptText.IsWordChar(text[start - 1])) continue;
            for (var length = Math.Min(dictionary.LongestTerm, text.Length - start); length > 0; length--)
            {
                var ids = dictionary.ConceptsNamed(text.AsSpan(start, length));
                if (ids.Length == 0 || EndOfWord(text, start + length) is not { } end) continue;
                found.Add(new ConceptMatch(start, end - start, ids));
                break;
            }
        }
        return [.. found.Where(m => !found.Any(o => o != m && o.Start <= m.Start && m.End <= o.End))];
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
