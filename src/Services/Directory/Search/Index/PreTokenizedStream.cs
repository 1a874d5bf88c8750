using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// The catalogue's tokens of one field's texts as a Lucene token stream: <see cref="SearchText.Tokens"/> positions as
/// they are (a Han bigram shares its first character's position), each text after a gap so that a phrase never spans
/// two texts, as in the tsvector.
/// </summary>
internal sealed class PreTokenizedStream : TokenStream
{
    private readonly List<(string Term, int Increment)> _tokens = [];
    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute _increment;
    private int _next;

    public PreTokenizedStream(IEnumerable<string?> texts)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _increment = AddAttribute<IPositionIncrementAttribute>();
        var position = 0;
        foreach (var text in texts)
        {
            var offset = position + 1;
            var last = 0;
            foreach (var (lexeme, at) in SearchText.Tokens(text))
            {
                var absolute = offset + at;
                _tokens.Add((lexeme, absolute - position));
                position = absolute;
                last = absolute;
            }
            if (last > 0) position = last + 1;
        }
    }

    public override bool IncrementToken()
    {
        if (_next >= _tokens.Count) return false;
        ClearAttributes();
        var (term, increment) = _tokens[_next++];
        _term.SetEmpty().Append(term);
        _increment.PositionIncrement = increment;
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _next = 0;
    }
}
