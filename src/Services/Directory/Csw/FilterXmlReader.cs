using System.Xml.Linq;

namespace MedImaging.Directory.Csw;

/// <summary>OGC Filter Encoding 1.1 (ogc:Filter, as a CSW constraint carries it) into a <see cref="FilterNode"/> tree.</summary>
internal static class FilterXmlReader
{
    private const string Locator = "Constraint";
    private static readonly XNamespace Ogc = CswNames.Ogc;

    private static readonly Dictionary<string, CompareOp> Comparisons = new(StringComparer.Ordinal)
    {
        ["PropertyIsEqualTo"] = CompareOp.EqualTo, ["PropertyIsNotEqualTo"] = CompareOp.NotEqualTo,
        ["PropertyIsLessThan"] = CompareOp.LessThan, ["PropertyIsGreaterThan"] = CompareOp.GreaterThan,
        ["PropertyIsLessThanOrEqualTo"] = CompareOp.LessThanOrEqualTo, ["PropertyIsGreaterThanOrEqualTo"] = CompareOp.GreaterThanOrEqualTo,
    };

    private static readonly HashSet<string> Spatial = new(StringComparer.Ordinal)
        { "BBOX", "Equals", "Disjoint", "Touches", "Within", "Overlaps", "Crosses", "Intersects", "Contains", "DWithin", "Beyond" };

    public static FilterNode Read(XElement filter)
    {
        if (filter.Name != Ogc + "Filter") throw CswException.Invalid(Locator, $"Expected ogc:Filter, found {filter.Name}.");
        var children = filter.Elements().ToList();
        if (children.Count != 1) throw CswException.Invalid(Locator, "ogc:Filter must hold exactly one operator.");
        return Node(children[0]);
    }

    private static FilterNode Node(XElement e)
    {
        if (e.Name.Namespace != Ogc) throw CswException.Invalid(Locator, $"{e.Name} is not an OGC filter operator.");
        var name = e.Name.LocalName;
        if (name is "And" or "Or")
        {
            var operands = e.Elements().Select(Node).ToList();
            if (operands.Count < 2) throw CswException.Invalid(Locator, $"ogc:{name} needs at least two operands.");
            return name == "And" ? new AndNode(operands) : new OrNode(operands);
        }
        if (name == "Not")
        {
            var operands = e.Elements().ToList();
            if (operands.Count != 1) throw CswException.Invalid(Locator, "ogc:Not takes exactly one operand.");
            return new NotNode(Node(operands[0]));
        }
        if (Comparisons.TryGetValue(name, out var op))
            return new CompareNode(op, Property(e), Literal(e, "Literal"), MatchCase(e));
        if (name == "PropertyIsLike")
            return new LikeNode(Property(e), Literal(e, "Literal"), Char(e, "wildCard"), Char(e, "singleChar"), Char(e, "escapeChar"), MatchCase(e));
        if (name == "PropertyIsNull") return new IsNullNode(Property(e));
        if (name == "PropertyIsBetween")
            return new BetweenNode(Property(e), Boundary(e, "LowerBoundary"), Boundary(e, "UpperBoundary"));
        if (Spatial.Contains(name))
            throw CswException.Invalid(Locator, $"ogc:{name}: spatial operators are not supported; catalogue entries have no geographic extent (see Filter_Capabilities).");
        throw CswException.Invalid(Locator, $"ogc:{name} is not a supported filter operator (see Filter_Capabilities).");
    }

    private static PropertyRef Property(XElement op)
    {
        var element = op.Element(Ogc + "PropertyName") ?? throw CswException.Invalid(Locator, $"{op.Name.LocalName} needs an ogc:PropertyName.");
        return new PropertyRef(Queryables.Resolve(QualifiedName(element, element.Value.Trim())));
    }

    /// <summary>A PropertyName's text as a name: its prefix resolved where the filter declared it; an XPath's last step.</summary>
    public static XName QualifiedName(XElement context, string text)
    {
        var step = text.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.TrimStart('@') ?? "";
        if (step.Length == 0) throw CswException.Invalid(Locator, "An empty ogc:PropertyName.");
        var colon = step.IndexOf(':', StringComparison.Ordinal);
        try
        {
            if (colon < 0) return XName.Get(step);
            var prefix = step[..colon];
            var local = step[(colon + 1)..];
            var ns = prefix.Length == 0 ? null : context.GetNamespaceOfPrefix(prefix) ?? (Queryables.Prefixes.TryGetValue(prefix, out var known) ? known : null);
            return ns is null ? XName.Get(local) : ns + local;
        }
        catch (Exception e) when (e is System.Xml.XmlException or ArgumentException)
        {
            throw CswException.Invalid(Locator, $"'{text}' is not a property name.");
        }
    }

    private static string Literal(XElement op, string name) =>
        op.Element(Ogc + name)?.Value ?? throw CswException.Invalid(Locator, $"{op.Name.LocalName} needs an ogc:{name}.");

    private static string Boundary(XElement op, string name) =>
        (op.Element(Ogc + name) ?? throw CswException.Invalid(Locator, $"PropertyIsBetween needs an ogc:{name}.")).Element(Ogc + "Literal")?.Value
        ?? throw CswException.Invalid(Locator, $"ogc:{name} needs an ogc:Literal.");

    private static bool MatchCase(XElement op) => !string.Equals((string?)op.Attribute("matchCase"), "false", StringComparison.OrdinalIgnoreCase);

    private static char Char(XElement op, string attribute)
    {
        // Filter 1.0 named the escape attribute "escape".
        var value = (string?)op.Attribute(attribute) ?? (attribute == "escapeChar" ? (string?)op.Attribute("escape") : null) ?? throw CswException.Invalid(Locator, $"PropertyIsLike needs its {attribute} attribute.");
        return value.Length == 1 ? value[0] : throw CswException.Invalid(Locator, $"PropertyIsLike's {attribute} must be one character.");
    }
}
