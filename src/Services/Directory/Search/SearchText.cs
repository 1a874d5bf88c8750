using System.Globalization;
using System.Text;
using NpgsqlTypes;

namespace MedImaging.Directory.Search;

/// <summary>
/// The catalogue's own tokens (ADR 0025), the same for indexed text and query text after <see cref="TextNormalizer"/>:
/// every Han character is a unigram and, with the Han character after it, a bigram at the same position, so that a
/// 2-character term such as 结节 is one lexeme found inside unsegmented 肺结节随访 and a single character 肺 matches too;
/// Latin letters and digits form lower-case words. A longer term is a phrase of its tokens (肺结 &lt;-&gt; 结节), so it
/// matches only where the characters are adjacent.
/// </summary>
public static class SearchText
{
    // PostgreSQL's limits: positions 1..16383, at most 256 positions per lexeme, lexemes under 2 KB.
    private const int MaxPosition = 16383;
    private const int MaxPositionsPerLexeme = 255;
    private const int MaxWordLength = 100;

    /// <summary>The tokens of <paramref name="text"/> (not yet normalised) with their positions, counted from 1.</summary>
    public static IReadOnlyList<(string Lexeme, int Position)> Tokens(string? text)
    {
        var s = TextNormalizer.Normalize(text);
        var tokens = new List<(string, int)>();
        var position = 0;
        var word = -1;
        for (var i = 0; i <= s.Length; i++)
        {
            var c = i < s.Length ? s[i] : ' ';
            var han = TextNormalizer.IsHan(c);
            if (!han && char.IsLetterOrDigit(c))
            {
                if (word < 0) word = i;
                continue;
            }
            if (word >= 0)
            {
                if (i - word <= MaxWordLength) tokens.Add((s[word..i], ++position));
                word = -1;
            }
            if (!han) continue;
            tokens.Add((c.ToString(), ++position));
            if (i + 1 < s.Length && TextNormalizer.IsHan(s[i + 1])) tokens.Add((s.Substring(i, 2), position));
        }
        return tokens;
    }

    /// <summary>
    /// An entry's search vector: title weighted A, keywords B, abstract and study description C, institution name and
    /// modality codes D. Each field starts after a gap, so a phrase never spans two fields or two keywords.
    /// </summary>
    public static NpgsqlTsVector Vector(params (IEnumerable<string?> Texts, NpgsqlTsVector.Lexeme.Weight Weight)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var positions = new SortedDictionary<string, SortedDictionary<int, NpgsqlTsVector.Lexeme.Weight>>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var (texts, weight) in fields)
            foreach (var text in texts)
            {
                var last = 0;
                foreach (var (lexeme, position) in Tokens(text))
                {
                    last = position;
                    var at = Math.Min(offset + position, MaxPosition);
                    if (!positions.TryGetValue(lexeme, out var of)) positions[lexeme] = of = [];
                    // Past the last position PostgreSQL keeps, occurrences share it; the first (heaviest) weight stays.
                    if (of.Count < MaxPositionsPerLexeme) of.TryAdd(at, weight);
                }
                offset += last + 1;
            }
        // Npgsql builds a vector only from its text form: 'lexeme':1A,7B … (lexemes are letters and digits, quoted anyway).
        var literal = new StringBuilder();
        foreach (var (lexeme, at) in positions)
        {
            if (literal.Length > 0) literal.Append(' ');
            literal.Append('\'').Append(lexeme.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append("':")
                .AppendJoin(',', at.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Key}{x.Value}")));
        }
        // Obsolete for parsing arbitrary user text; this is the plain form written just above, which it reads exactly.
#pragma warning disable CS0618
        return NpgsqlTsVector.Parse(literal.ToString());
#pragma warning restore CS0618
    }

    /// <summary>
    /// A term as a tsquery: a phrase of its tokens per script run (a Han run of two or more characters by its bigrams,
    /// a single Han character by itself, Latin words in order), the runs combined with AND, so that CT肺结节 asks for
    /// CT and 肺结节 as CT 肺结节 does; restricted to <paramref name="weights"/> when given; null when it has no tokens.
    /// </summary>
    public static NpgsqlTsQuery? Term(string term, NpgsqlTsQueryLexeme.Weight weights = NpgsqlTsQueryLexeme.Weight.None)
    {
        NpgsqlTsQuery? query = null;
        foreach (var run in Runs(term))
        {
            NpgsqlTsQuery? phrase = null;
            var previous = 0;
            foreach (var (lexeme, position) in run)
            {
                var node = new NpgsqlTsQueryLexeme(lexeme, weights);
                phrase = phrase is null ? node : new NpgsqlTsQueryFollowedBy(phrase, (short)(position - previous), node);
                previous = position;
            }
            query = query is null ? phrase : new NpgsqlTsQueryAnd(query, phrase!);
        }
        return query;
    }

    /// <summary>
    /// A term's phrases, one per script run, each its tokens with their positions: a Han run of two or more characters by
    /// its bigrams, a single Han character by itself, Latin words in order. Both engines build their queries from these
    /// (the tsquery above, the index's phrase queries, ADR 0030), so they match the same entries.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(string Lexeme, int Position)>> Runs(string term)
    {
        var tokens = Tokens(term);
        var runs = new List<IReadOnlyList<(string, int)>>();
        List<(string, int)>? phrase = null;
        var previousHan = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var (lexeme, position) = tokens[i];
            var han = TextNormalizer.IsHan(lexeme[0]);
            // A Han character inside a run is covered by the bigram starting at it or the one ending at it.
            var startsBigram = i + 1 < tokens.Count && tokens[i + 1].Position == position;
            var endsBigram = i > 0 && tokens[i - 1].Lexeme.Length == 2 && TextNormalizer.IsHan(tokens[i - 1].Lexeme[0]) && tokens[i - 1].Position == position - 1;
            if (han && lexeme.Length == 1 && (startsBigram || endsBigram)) continue;
            if (phrase is not null && han != previousHan)
            {
                runs.Add(phrase);
                phrase = null;
            }
            (phrase ??= []).Add((lexeme, position));
            previousHan = han;
        }
        if (phrase is not null) runs.Add(phrase);
        return runs;
    }

    /// <summary>Alternatives combined with OR (a word and its concept's synonyms); null when none has tokens.</summary>
    public static NpgsqlTsQuery? AnyOf(IEnumerable<string> terms, NpgsqlTsQueryLexeme.Weight weights = NpgsqlTsQueryLexeme.Weight.None) =>
        terms.Select(t => Term(t, weights)).OfType<NpgsqlTsQuery>().Aggregate((NpgsqlTsQuery?)null, (a, b) => a is null ? b : new NpgsqlTsQueryOr(a, b));
}
