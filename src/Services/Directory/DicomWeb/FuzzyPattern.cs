using System.Text;
using MedImaging.Directory.Search;

namespace MedImaging.Directory.DicomWeb;

/// <summary>
/// A value of <c>fuzzymatching=true</c> as an anchored regular expression (PostgreSQL <c>~</c>, .NET alike) in which each
/// character stands for all its variants: upper and lower case, half and full width (Ｃ c C ｃ), simplified and
/// traditional (医 醫, as far as <see cref="TraditionalChinese"/> knows them); <c>*</c> and <c>?</c> keep their DICOM
/// meaning. PostgreSQL has no NFKC function EF Core translates, so the variants go into the pattern rather than a
/// normalised column.
/// </summary>
public static class FuzzyPattern
{
    private static readonly Lazy<Dictionary<char, List<char>>> Traditional = new(() =>
    {
        var map = new Dictionary<char, List<char>>();
        for (var c = '\u3400'; c <= '\u9fff'; c++)
        {
            var simplified = TraditionalChinese.ToSimplified(c);
            if (simplified == c) continue;
            if (!map.TryGetValue(simplified, out var list)) map[simplified] = list = [];
            list.Add(c);
        }
        return map;
    });

    public static string Regex(DicomMatch match)
    {
        var (value, wildcards) = match switch
        {
            DicomMatch.Exact s => (s.Value, false),
            DicomMatch.Wildcard w => (w.Pattern, true),
            _ => throw new ArgumentException($"{match} is not a text match", nameof(match)),
        };
        var sb = new StringBuilder("^");
        foreach (var c in value)
        {
            if (wildcards && c == '*') sb.Append(".*");
            else if (wildcards && c == '?') sb.Append('.');
            else sb.Append(Alternatives(c));
        }
        return sb.Append('$').ToString();
    }

    private static string Alternatives(char c)
    {
        var folded = TextNormalizer.Normalize(c.ToString());
        if (folded.Length != 1) return Escape(c.ToString());
        var f = folded[0];
        var variants = new SortedSet<char> { c, f, char.ToUpperInvariant(f) };
        foreach (var v in variants.ToList())
            if (v is >= '!' and <= '~') variants.Add((char)(v + 0xFEE0)); // the full-width form of an ASCII character
        if (f == ' ') variants.Add('\u3000');
        if (Traditional.Value.TryGetValue(f, out var traditional)) variants.UnionWith(traditional);
        return variants.Count == 1 ? Escape(f.ToString()) : "(?:" + string.Join('|', variants.Select(v => Escape(v.ToString()))) + ")";
    }

    // Every ASCII character that is not a letter or digit is escaped: safe in PostgreSQL's AREs and .NET alike.
    private static string Escape(string s) =>
        string.Concat(s.Select(ch => ch < 128 && !char.IsAsciiLetterOrDigit(ch) ? "\\" + ch : ch.ToString()));
}
