using System.Xml.Linq;

namespace MedImaging.Directory.Csw;

/// <summary>
/// A constraint, whichever language it came in (OGC Filter Encoding 1.1 XML or CQL text): both parse into this tree,
/// and one translator turns it into the catalogue query, so that the two languages always find the same entries.
/// </summary>
public abstract record FilterNode;

public sealed record AndNode(IReadOnlyList<FilterNode> Operands) : FilterNode;

public sealed record OrNode(IReadOnlyList<FilterNode> Operands) : FilterNode;

public sealed record NotNode(FilterNode Operand) : FilterNode;

public enum CompareOp
{
    EqualTo,
    NotEqualTo,
    LessThan,
    GreaterThan,
    LessThanOrEqualTo,
    GreaterThanOrEqualTo,
}

/// <summary>A property, by its qualified name (csw:AnyText, dc:title, mi:modality).</summary>
public sealed record PropertyRef(XName Name)
{
    public override string ToString() => Name.ToString();
}

public sealed record CompareNode(CompareOp Op, PropertyRef Property, string Literal, bool MatchCase = true) : FilterNode;

/// <summary>PropertyIsLike with the request's own wildcard, single-character and escape characters.</summary>
public sealed record LikeNode(PropertyRef Property, string Pattern, char WildCard, char SingleChar, char EscapeChar, bool MatchCase = true) : FilterNode;

public sealed record BetweenNode(PropertyRef Property, string Lower, string Upper) : FilterNode;

public sealed record IsNullNode(PropertyRef Property) : FilterNode;
