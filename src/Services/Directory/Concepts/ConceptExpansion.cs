using System.Collections.Concurrent;
using MedImaging.Directory.Search;

namespace MedImaging.Directory.Concepts;

/// <summary>
/// Free text → concepts (§3.3.3.2: "从用户自然语言形式的查询中提取出概念"). Each concept found in the text becomes one
/// OR-group of its labels and synonyms in both languages and those of every narrower concept (胸部 → 肺 → 肺叶 …), so
/// 肺结节 finds "pulmonary nodule" and the reverse; a finding at a site (肺结节) becomes two groups, its own terms or
/// the site's, AND its own terms or the finding's, so 右肺上叶结节 is found too. The text no concept covers stays as
/// literal words, as <see cref="LiteralExpansion"/> makes them. A query that turns concepts off gets the literal words.
/// </summary>
public sealed class ConceptExpansion(ConceptVocabulary dictionary) : IQueryExpansion
{
    /// <summary>
    /// The most terms one group offers the engine. Each term is one more alternative the engine must look up, and a
    /// concept near the top of the hierarchy (全身, 病变) reaches hundreds of concepts; the nearest ones come first
    /// (breadth first), and terms already implied by a shorter one in the group are dropped before counting.
    /// </summary>
    public const int MaxTermsPerGroup = 64;

    private static readonly char[] Separators = [' ', '\t', '\n', '\r', ',', ';', '，', '；', '、', '。', '/', '(', ')', '（', '）'];

    // Words that carry no meaning of their own in a query; as literal groups they would only demand that an entry contain "of".
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal) { "a", "an", "the", "of", "in", "on", "at", "with", "and", "or", "for", "to", "by", "from", "的", "和", "与", "及", "或" };

    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _groups = new(StringComparer.Ordinal);

    public ExpandedText Expand(string text, bool concepts)
    {
        if (!concepts) return LiteralExpansion.Literal(text);
        var normalized = ConceptText.Normalize(text);
        var matches = ConceptMatcher.Find(dictionary, normalized);
        var groups = new List<IReadOnlyList<string>>();
        var found = new List<MatchedConcept>();
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var match in matches)
        {
            // The same concept named twice ("肺 … lung") is one condition, not two.
            if (!handled.Add(string.Join('|', match.ConceptIds))) continue;
            var matched = normalized.Substring(match.Start, match.Length);
            var own = Groups(match.ConceptIds, matched);
            groups.AddRange(own);
            IReadOnlyList<string> terms = [.. own.SelectMany(g => g).Distinct(StringComparer.Ordinal)];
            found.AddRange(match.ConceptIds.Select(id => dictionary.Find(id)!).Select(c => new MatchedConcept(c.Id, c.LabelZh, c.LabelEn, matched, terms)));
        }
        foreach (var word in Uncovered(normalized, matches))
            if (!groups.Any(g => g.Count == 1 && g[0] == word)) groups.Add([word]);
        return new ExpandedText(groups, found);
    }

    /// <summary>The groups one match contributes: two for a finding at a site, otherwise one.</summary>
    private IReadOnlyList<string>[] Groups(string[] ids, string matched)
    {
        if (ids.Length == 1 && dictionary.Parts(ids[0]) is { } parts)
            return [Group([ids[0], .. parts.Sites], matched), Group([ids[0], .. parts.Generics], matched)];
        return [Group(ids, matched)];
    }

    private IReadOnlyList<string> Group(string[] roots, string matched)
    {
        var terms = _groups.GetOrAdd(string.Join('|', roots), _ => ConceptTerms.Bounded(dictionary.Closure(roots).SelectMany(dictionary.Terms), MaxTermsPerGroup));
        // The words the user typed always stay in the group (a plural, say, that no term spells), unless a term implies them.
        return ConceptTerms.Implies(terms, matched) ? terms : [matched, .. terms.Take(MaxTermsPerGroup - 1)];
    }

    /// <summary>The words of the text that no concept covers, as literal terms.</summary>
    private static IEnumerable<string> Uncovered(string text, IReadOnlyList<ConceptMatch> matches)
    {
        var covered = new bool[text.Length];
        foreach (var m in matches) Array.Fill(covered, true, m.Start, m.Length);
        var rest = new string([.. text.Select((c, i) => covered[i] ? ' ' : c)]);
        return rest.Split(Separators, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Any(char.IsLetterOrDigit) && !StopWords.Contains(w))
            .Distinct(StringComparer.Ordinal);
    }
}
