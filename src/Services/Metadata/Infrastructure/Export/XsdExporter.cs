using System.Globalization;
using System.Xml.Linq;
using MedImaging.Metadata.Domain;

namespace MedImaging.Metadata.Infrastructure.Export;

/// <summary>
/// XML Schema 1.0 of a set version (§4.9.4: 成熟、主流的数据编码技术). A record is a <c>record</c> element whose children
/// are the elements and entities in <see cref="SchemaLayout"/> order. XSD 1.0 cannot state 条件必选, so conditional
/// elements are optional here and their condition is in the annotation; the validation service enforces it.
/// </summary>
internal static class XsdExporter
{
    private static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    public static XDocument Export(MetadataSet set, MetadataSetVersion v)
    {
        var ns = SchemaLayout.Namespace(set, v);
        var sequence = new XElement(Xs + "sequence", SchemaLayout.TopLevel(v).Select(item => item.Entity is { } entity
            ? new XElement(Xs + "element", new XAttribute("name", entity.EntityId), Occurs(entity.Obligation, entity.MaxOccurs),
                Doc(entity.NameZh, entity.NameEn, entity.Definition, entity.Remarks),
                new XElement(Xs + "complexType", new XElement(Xs + "sequence", item.Members.Select(Element))))
            : Element(item.Element!)));
        return new XDocument(new XElement(Xs + "schema",
            new XAttribute(XNamespace.Xmlns + "xs", Xs.NamespaceName), new XAttribute("targetNamespace", ns), new XAttribute("xmlns", ns),
            new XAttribute("elementFormDefault", "qualified"), new XAttribute("version", v.Version.ToString(CultureInfo.InvariantCulture)),
            new XElement(Xs + "element", new XAttribute("name", "record"), Doc(set.NameZh, set.NameEn, $"{set.Code} version {v.Version}", v.ChangeNote),
                new XElement(Xs + "complexType", sequence))));
    }

    private static XElement Element(MetadataElement e)
    {
        var d = e.Domain;
        var restriction = new XElement(Xs + "restriction", new XAttribute("base", BaseType(e.DataType)));
        // Facet order is fixed by the XSD grammar only loosely; several xs:pattern facets would OR, so there is one.
        if (d.MaxLength is { } max && IsStringBased(e.DataType)) restriction.Add(Facet("maxLength", max.ToString(CultureInfo.InvariantCulture)));
        if (SchemaLayout.PatternOf(e) is { } pattern) restriction.Add(Facet("pattern", pattern));
        foreach (var code in d.Codes) restriction.Add(new XElement(Xs + "enumeration", new XAttribute("value", code.Code), Doc(code.NameZh, code.NameEn, null, null)));
        if (d.Minimum is { } min && !IsStringBased(e.DataType)) restriction.Add(Facet("minInclusive", min.ToString(CultureInfo.InvariantCulture)));
        if (d.Maximum is { } maxv && !IsStringBased(e.DataType)) restriction.Add(Facet("maxInclusive", maxv.ToString(CultureInfo.InvariantCulture)));
        var remarks = e.Condition is { } c ? $"{e.Remarks} [条件必选: {c.Describe()}]" : e.Remarks;
        return new XElement(Xs + "element", new XAttribute("name", e.ElementId), Occurs(e.Obligation, e.MaxOccurs),
            Doc(e.NameZh, e.NameEn, e.Definition, remarks), new XElement(Xs + "simpleType", restriction));
    }

    private static XAttribute[] Occurs(Obligation obligation, int? max) =>
    [
        new("minOccurs", obligation == Obligation.Mandatory ? "1" : "0"),
        new("maxOccurs", max is null ? "unbounded" : max.Value.ToString(CultureInfo.InvariantCulture)),
    ];

    private static XElement Facet(string name, string value) => new(Xs + name, new XAttribute("value", value));

    private static XElement Doc(string zh, string en, string? definition, string? remarks) => new(Xs + "annotation",
        new XElement(Xs + "documentation", new XAttribute(XNamespace.Xml + "lang", "zh"), string.IsNullOrEmpty(definition) ? zh : $"{zh}: {definition}"),
        new XElement(Xs + "documentation", new XAttribute(XNamespace.Xml + "lang", "en"), en),
        string.IsNullOrEmpty(remarks) ? null : new XElement(Xs + "documentation", new XAttribute(XNamespace.Xml + "lang", "zh"), remarks));

    private static bool IsStringBased(MetadataDataType t) => t is not (MetadataDataType.Integer or MetadataDataType.Decimal or MetadataDataType.Boolean or MetadataDataType.Date or MetadataDataType.DateTime);

    private static string BaseType(MetadataDataType t) => t switch
    {
        MetadataDataType.Integer => "xs:integer",
        MetadataDataType.Decimal => "xs:decimal",
        MetadataDataType.Boolean => "xs:boolean",
        MetadataDataType.Date => "xs:date",
        MetadataDataType.DateTime => "xs:dateTime",
        MetadataDataType.Uri => "xs:anyURI",
        _ => "xs:string",
    };
}
