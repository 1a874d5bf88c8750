using System.Xml.Linq;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Directory.Csw;

/// <summary>
/// The CSW 2.0.2 capabilities (OWS 1.0 service metadata, 07-006r1 §10.5): operations with the GET and POST URLs as
/// the caller reached them (through the gateway: its host and /api/directory prefix), their parameters, the queryables
/// and the filter capabilities actually implemented.
/// </summary>
internal static class CapabilitiesDocument
{
    private static readonly XNamespace Csw = CswNames.Csw, Ows = CswNames.Ows, Ogc = CswNames.Ogc, Xlink = CswNames.Xlink;

    private static readonly string[] Keywords = ["医学影像", "资源目录", "medical imaging", "catalogue", "DICOM"];
    private static readonly string[] ComparisonOperators = ["EqualTo", "NotEqualTo", "LessThan", "GreaterThan", "LessThanEqualTo", "GreaterThanEqualTo", "Like", "Between", "NullCheck"];

    public static readonly string[] Sections = ["ServiceIdentification", "ServiceProvider", "OperationsMetadata", "Filter_Capabilities"];

    public static XDocument Write(NodeDescriptor? node, string endpoint, IReadOnlyList<string> sections)
    {
        var wanted = sections.Count == 0 || sections.Contains("All", StringComparer.OrdinalIgnoreCase)
            ? Sections
            : sections.Select(s => Sections.FirstOrDefault(k => k.Equals(s, StringComparison.OrdinalIgnoreCase))
                ?? throw CswException.Invalid("sections", $"Unknown section '{s}'; sections: {string.Join(", ", Sections)}, All.")).ToArray();
        var root = new XElement(Csw + "Capabilities", CswNames.Prefixes(), new XAttribute(XNamespace.Xmlns + "xlink", Xlink.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "mi", CswNames.Mi.NamespaceName), new XAttribute("version", CswNames.Version));
        if (wanted.Contains("ServiceIdentification")) root.Add(Identification(node));
        if (wanted.Contains("ServiceProvider")) root.Add(Provider(node));
        if (wanted.Contains("OperationsMetadata")) root.Add(Operations(endpoint));
        if (wanted.Contains("Filter_Capabilities")) root.Add(FilterCapabilities());
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement Identification(NodeDescriptor? node) => new(Ows + "ServiceIdentification",
        new XElement(Ows + "Title", node is null ? "医学影像学大数据资源目录" : $"{node.Name.Zh} / {node.Name.En}"),
        new XElement(Ows + "Abstract", "医学影像学大数据资源目录 (DB13/T) 的目录服务: 已发布资源的 OGC CSW 2.0.2 检索接口. Catalogue of published medical imaging resources; anonymous callers see public entries only."),
        new XElement(Ows + "Keywords", Keywords.Select(k => new XElement(Ows + "Keyword", k))),
        new XElement(Ows + "ServiceType", CswNames.Service),
        new XElement(Ows + "ServiceTypeVersion", CswNames.Version),
        new XElement(Ows + "Fees", "none"),
        new XElement(Ows + "AccessConstraints", "Entries above the caller's clearance (安全限制分级) are never returned; a bearer token widens what is seen."));

    private static XElement Provider(NodeDescriptor? node) => new(Ows + "ServiceProvider",
        new XElement(Ows + "ProviderName", node?.Name.Zh ?? "MedImagingCatalog"),
        new XElement(Ows + "ServiceContact", new XElement(Ows + "PositionName", "directory manager"),
            new XElement(Ows + "ContactInfo", new XElement(Ows + "Address",
                new XElement(Ows + "AdministrativeArea", node?.AdministrativeCode ?? ""), new XElement(Ows + "Country", "CN")))));

    private static XElement Operations(string endpoint)
    {
        XElement Dcp() => new(Ows + "DCP", new XElement(Ows + "HTTP",
            new XElement(Ows + "Get", new XAttribute(Xlink + "href", endpoint)),
            new XElement(Ows + "Post", new XAttribute(Xlink + "href", endpoint))));
        XElement Parameter(string name, params string[] values) => new(Ows + "Parameter", new XAttribute("name", name), values.Select(v => new XElement(Ows + "Value", v)));
        XElement Constraint(string name, IEnumerable<string> values) => new(Ows + "Constraint", new XAttribute("name", name), values.Select(v => new XElement(Ows + "Value", v)));
        string Prefixed(XName n) => $"{Prefix(n.Namespace)}:{n.LocalName}";

        var dublinCore = Queryables.All.Where(q => q.Name.Namespace != CswNames.Mi).Select(q => Prefixed(q.Name)).Prepend("csw:AnyText");
        var own = Queryables.All.Where(q => q.Name.Namespace == CswNames.Mi).Select(q => Prefixed(q.Name));
        var formats = new[] { CswNames.OutputFormat };
        var elementSets = new[] { "brief", "summary", "full" };
        return new XElement(Ows + "OperationsMetadata",
            new XElement(Ows + "Operation", new XAttribute("name", "GetCapabilities"), Dcp(), Parameter("sections", [.. Sections, "All"])),
            new XElement(Ows + "Operation", new XAttribute("name", "DescribeRecord"), Dcp(),
                Parameter("typeName", "csw:Record"), Parameter("outputFormat", formats), Parameter("schemaLanguage", CswNames.XmlSchemaLanguage, "XMLSCHEMA")),
            new XElement(Ows + "Operation", new XAttribute("name", "GetRecords"), Dcp(),
                Parameter("resultType", "hits", "results", "validate"), Parameter("outputFormat", formats),
                Parameter("outputSchema", [.. CswNames.OutputSchemas]), Parameter("typeNames", "csw:Record"),
                Parameter("CONSTRAINTLANGUAGE", "FILTER", "CQL_TEXT"), Parameter("ElementSetName", elementSets),
                Constraint("SupportedDublinCoreQueryables", dublinCore), Constraint("AdditionalQueryables", own),
                Constraint("MaxRecordDefault", [CswNames.DefaultMaxRecords.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
                Constraint("MaxRecords", [CswNames.MaxRecords.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
                Constraint("MaxPosition", [CswNames.MaxPosition.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
                Constraint("SortableProperties", ["dc:title", "dct:modified"])),
            new XElement(Ows + "Operation", new XAttribute("name", "GetRecordById"), Dcp(),
                Parameter("outputSchema", [.. CswNames.OutputSchemas]), Parameter("outputFormat", formats), Parameter("ElementSetName", elementSets)),
            Parameter("service", CswNames.Service),
            Parameter("version", CswNames.Version));
    }

    // No spatial operators: entries have no geographic extent. Filter 1.1's schema wants Spatial_ and Id_Capabilities
    // even so; they are left out rather than claim operators this catalogue does not evaluate (ADR 0027).
    private static XElement FilterCapabilities() => new(Ogc + "Filter_Capabilities",
        new XElement(Ogc + "Scalar_Capabilities",
            new XElement(Ogc + "LogicalOperators"),
            new XElement(Ogc + "ComparisonOperators",
                ComparisonOperators.Select(o => new XElement(Ogc + "ComparisonOperator", o)))));

    public static string Prefix(XNamespace ns) =>
        ns == CswNames.Dc ? "dc" : ns == CswNames.Dct ? "dct" : ns == CswNames.Mi ? "mi" : ns == CswNames.Csw ? "csw" : "ns";
}
