using System.Text;
using System.Xml.Linq;

namespace MedImaging.Directory.Csw;

/// <summary>
/// OGC CQL text (07-006r1 §6.2.2, the BNF of its annex) into the same <see cref="FilterNode"/> tree as the Filter XML:
/// comparisons (= &lt;&gt; &lt; &gt; &lt;= &gt;=), [NOT] LIKE / ILIKE with % and _ (escape \), [NOT] BETWEEN … AND …,
/// IS [NOT] NULL, AND, OR, NOT and parentheses. Literals are quoted strings ('' for a quote), numbers or unquoted dates.
/// </summary>
internal sealed class CqlParser
{
    private const string Locator = "Constraint";
    private readonly List<Token> _tokens;
    private int _at;

    private CqlParser(List<Token> tokens) => _tokens = tokens;

    public static FilterNode Parse(string text)
    {
        var parser = new CqlParser(Tokenize(text));
        var node = parser.Or();
        if (parser.Peek.Kind != TokenKind.End) throw Error($"unexpected '{parser.Peek.Text}' at position {parser.Peek.Position + 1}");
        return node;
    }

    private FilterNode Or()
    {
        var operands = new List<FilterNode> { And() };
        while (Keyword("OR")) operands.Add(And());
        return operands.Count == 1 ? operands[0] : new OrNode(operands);
    }

    private FilterNode And()
    {
        var operands = new List<FilterNode> { Not() };
        while (Keyword("AND")) operands.Add(Not());
        return operands.Count == 1 ? operands[0] : new AndNode(operands);
    }

    private FilterNode Not() => Keyword("NOT") ? new NotNode(Not()) : Primary();

    private FilterNode Primary()
    {
        if (Symbol("("))
        {
            var inner = Or();
            if (!Symbol(")")) throw Error($"')' expected at position {Peek.Position + 1}");
            return inner;
        }
        var property = Property();
        if (Peek.Kind == TokenKind.Symbol && Peek.Text is "=" or "<>" or "!=" or "<" or ">" or "<=" or ">=")
        {
            var op = Next().Text switch
            {
                "=" => CompareOp.EqualTo,
                "<>" or "!=" => CompareOp.NotEqualTo,
                "<" => CompareOp.LessThan,
                ">" => CompareOp.GreaterThan,
                "<=" => CompareOp.LessThanOrEqualTo,
                _ => CompareOp.GreaterThanOrEqualTo,
            };
            return new CompareNode(op, property, Literal());
        }
        var negated = Keyword("NOT");
        FilterNode node;
        if (Keyword("LIKE")) node = new LikeNode(property, Literal(), '%', '_', '\\');
        else if (Keyword("ILIKE")) node = new LikeNode(property, Literal(), '%', '_', '\\', MatchCase: false);
        else if (Keyword("BETWEEN"))
        {
            var lower = Literal();
            if (!Keyword("AND")) throw Error("BETWEEN needs AND between its bounds");
            node = new BetweenNode(property, lower, Literal());
        }
        else if (!negated && Keyword("IS"))
        {
            var not = Keyword("NOT");
            if (!Keyword("NULL")) throw Error("IS [NOT] NULL expected");
            return not ? new NotNode(new IsNullNode(property)) : new IsNullNode(property);
        }
        else throw Error($"an operator expected after {property} at position {Peek.Position + 1}");
        return negated ? new NotNode(node) : node;
    }

    private PropertyRef Property()
    {
        var t = Next();
        if (t.Kind != TokenKind.Word) throw Error($"a property name expected at position {t.Position + 1}");
        var colon = t.Text.IndexOf(':', StringComparison.Ordinal);
        XName name;
        try
        {
            name = colon < 0 ? XName.Get(t.Text)
                : Queryables.Prefixes.TryGetValue(t.Text[..colon], out var ns) ? ns + t.Text[(colon + 1)..] : XName.Get(t.Text[(colon + 1)..]);
        }
        catch (Exception e) when (e is System.Xml.XmlException or ArgumentException)
        {
            throw Error($"'{t.Text}' is not a property name");
        }
        return new PropertyRef(Queryables.Resolve(name));
    }

    private string Literal()
    {
        var t = Next();
        return t.Kind is TokenKind.String or TokenKind.Word ? t.Text : throw Error($"a literal expected at position {t.Position + 1}");
    }

    private bool Keyword(string word)
    {
        if (Peek.Kind != TokenKind.Word || !Peek.Text.Equals(word, StringComparison.OrdinalIgnoreCase)) return false;
        _at++;
        return true;
    }

    private bool Symbol(string s)
    {
        if (Peek.Kind != TokenKind.Symbol || Peek.Text != s) return false;
        _at++;
        return true;
    }

    private Token Peek => _tokens[_at];

    private Token Next() => _tokens[Math.Min(_at++, _tokens.Count - 1)];

    private static CswException Error(string message) => CswException.Invalid(Locator, $"CQL: {message}.");

    private enum TokenKind { Word, String, Symbol, End }

    private readonly record struct Token(TokenKind Kind, string Text, int Position);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (c == '\'')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length) throw Error($"unterminated string starting at position {start + 1}");
                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'') { sb.Append('\''); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(text[i++]);
                }
                tokens.Add(new Token(TokenKind.String, sb.ToString(), start));
            }
            else if (c is '(' or ')' or '=') { tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start)); i++; }
            else if (c is '<' or '>' or '!')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : null;
                if (two is "<=" or ">=" or "<>" or "!=") { tokens.Add(new Token(TokenKind.Symbol, two, start)); i += 2; }
                else if (c != '!') { tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start)); i++; }
                else throw Error($"unexpected '!' at position {start + 1}");
            }
            else if (IsWordChar(c))
            {
                while (i < text.Length && IsWordChar(text[i])) i++;
                tokens.Add(new Token(TokenKind.Word, text[start..i], start));
            }
            else throw Error($"unexpected '{c}' at position {start + 1}");
        }
        tokens.Add(new Token(TokenKind.End, "end of text", text.Length));
        return tokens;
    }

    // Names (dc:title), numbers and unquoted dates/times (2024-01-31, 2024-01-31T08:00:00Z, +08:00).
    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '.' or '-' or '+';
}
