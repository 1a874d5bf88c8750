using System.Linq.Expressions;
using System.Text;
using MedImaging.Directory.Domain;
using P = MedImaging.Directory.Csw.Predicates;

namespace MedImaging.Directory.Csw;

/// <summary>
/// A constraint as the catalogue query: csw:AnyText in the constraint's top-level conjunction becomes
/// <c>CatalogQuery.Text</c> (the Chinese-aware engine: bigrams, concepts); everything else becomes the query's
/// <c>Where</c> expression, which the engine composes into the same SQL, so hits, counts and pages agree.
/// </summary>
internal static class FilterTranslator
{
    public sealed record Translation(string? Text, Expression<Func<CatalogEntry, bool>>? Where);

    public static Translation Translate(FilterNode? filter)
    {
        if (filter is null) return new(null, null);
        var conjuncts = new List<FilterNode>();
        Flatten(filter, conjuncts);
        var text = new List<string>();
        var rest = new List<Expression<Func<CatalogEntry, bool>>>();
        foreach (var c in conjuncts)
        {
            if (TextTerms(c) is { } terms) text.AddRange(terms);
            else rest.Add(Build(c));
        }
        return new(text.Count == 0 ? null : string.Join(' ', text), rest.Count == 0 ? null : P.And(rest));
    }

    private static void Flatten(FilterNode node, List<FilterNode> into)
    {
        if (node is AndNode and) foreach (var o in and.Operands) Flatten(o, into);
        else into.Add(node);
    }

    /// <summary>The words of an AnyText equality or Like (its wildcards split words), or null for any other condition.</summary>
    private static List<string>? TextTerms(FilterNode node) => node switch
    {
        CompareNode { Op: CompareOp.EqualTo } c when c.Property.Name == Queryables.AnyText => [c.Literal],
        LikeNode l when l.Property.Name == Queryables.AnyText => LiteralChunks(l),
        _ => null,
    };

    private static Expression<Func<CatalogEntry, bool>> Build(FilterNode node) => node switch
    {
        AndNode a => P.And(a.Operands.Select(Build)),
        OrNode o => P.Or(o.Operands.Select(Build)),
        NotNode n => P.Not(Build(n.Operand)),
        CompareNode c when c.Property.Name == Queryables.AnyText => c.Op switch
        {
            // AnyText under Or / Not: "contains the text", on the columns the engine reads.
            CompareOp.EqualTo => Queryables.AnyTextColumns.Like(Contains(c.Literal), false),
            CompareOp.NotEqualTo => P.Not(Queryables.AnyTextColumns.Like(Contains(c.Literal), false)),
            _ => throw CswException.Invalid("Constraint", "csw:AnyText takes PropertyIsEqualTo, PropertyIsNotEqualTo or PropertyIsLike only."),
        },
        CompareNode c => Queryables.Get(c.Property.Name).Compare(c.Op, c.Literal, c.MatchCase),
        LikeNode l when l.Property.Name == Queryables.AnyText => Queryables.AnyTextColumns.Like(SqlPattern(l), false),
        LikeNode l => Queryables.Get(l.Property.Name).Like(SqlPattern(l), l.MatchCase),
        BetweenNode b when b.Property.Name != Queryables.AnyText => Queryables.Get(b.Property.Name).Between(b.Lower, b.Upper),
        IsNullNode n when n.Property.Name != Queryables.AnyText => Queryables.Get(n.Property.Name).IsNull(),
        _ => throw CswException.Invalid("Constraint", "csw:AnyText takes PropertyIsEqualTo, PropertyIsNotEqualTo or PropertyIsLike only."),
    };

    private static string Contains(string literal) => $"%{Escape(literal)}%";

    /// <summary>The request's Like pattern with its own wildcard, single and escape characters, as a SQL LIKE pattern (escape \).</summary>
    public static string SqlPattern(LikeNode like)
    {
        var sb = new StringBuilder(like.Pattern.Length + 2);
        var escaped = false;
        foreach (var c in like.Pattern)
        {
            if (escaped) { sb.Append(Escape(c.ToString())); escaped = false; }
            else if (c == like.EscapeChar) escaped = true;
            else if (c == like.WildCard) sb.Append('%');
            else if (c == like.SingleChar) sb.Append('_');
            else sb.Append(Escape(c.ToString()));
        }
        if (escaped) throw CswException.Invalid("Constraint", "PropertyIsLike's pattern ends in its escape character.");
        return sb.ToString();
    }

    private static List<string> LiteralChunks(LikeNode like)
    {
        var chunks = new List<string>();
        var sb = new StringBuilder();
        var escaped = false;
        foreach (var c in like.Pattern)
        {
            if (escaped) { sb.Append(c); escaped = false; }
            else if (c == like.EscapeChar) escaped = true;
            else if (c == like.WildCard || c == like.SingleChar) Cut();
            else sb.Append(c);
        }
        Cut();
        return chunks;

        void Cut()
        {
            if (sb.ToString().Trim() is { Length: > 0 } chunk) chunks.Add(chunk);
            sb.Clear();
        }
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
