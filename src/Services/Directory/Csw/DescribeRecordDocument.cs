using System.Xml.Linq;

namespace MedImaging.Directory.Csw;

/// <summary>
/// DescribeRecord (07-006r1 §10.6): the XML Schema of the records this catalogue writes — csw:Record and its brief and
/// summary views over the Dublin Core elements (record.xsd's structure, the elements the mapping uses), and the
/// project's own mi:record (the Metadata service's element ids, entities as in its export).
/// </summary>
internal static class DescribeRecordDocument
{
    private static readonly XNamespace Csw = CswNames.Csw, Xsd = CswNames.Xsd, Dc = CswNames.Dc, Dct = CswNames.Dct, Mi = CswNames.Mi;

    public static XDocument Write() => new(new XDeclaration("1.0", "utf-8", null),
        new XElement(Csw + "DescribeRecordResponse", new XAttribute(XNamespace.Xmlns + "csw", Csw.NamespaceName),
            Component(Csw, CswRecordSchema()), Component(Mi, OwnSchema())));

    private static XElement Component(XNamespace target, XElement schema) => new(Csw + "SchemaComponent",
        new XAttribute("targetNamespace", target.NamespaceName), new XAttribute("schemaLanguage", CswNames.XmlSchemaLanguage), schema);

    private static XElement Ref(XName element, string min = "0", string max = "unbounded") =>
        new(Xsd + "element", new XAttribute("ref", $"{CapabilitiesDocument.Prefix(element.Namespace)}:{element.LocalName}"),
            new XAttribute("minOccurs", min), new XAttribute("maxOccurs", max));

    private static XElement CswRecordSchema()
    {
        var fullTerms = DublinCoreMapping.All.Where(m => m.Term is not null).Select(m => m.Term!).Distinct().ToList();
        XElement Type(string name, params XElement[] sequence) => new(Xsd + "complexType", new XAttribute("name", name),
            new XElement(Xsd + "complexContent", new XElement(Xsd + "extension", new XAttribute("base", "csw:AbstractRecordType"),
                new XElement(Xsd + "sequence", sequence))));
        return new XElement(Xsd + "schema",
            new XAttribute(XNamespace.Xmlns + "xsd", Xsd.NamespaceName), new XAttribute(XNamespace.Xmlns + "csw", Csw.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "dc", Dc.NamespaceName), new XAttribute(XNamespace.Xmlns + "dct", Dct.NamespaceName),
            new XAttribute("targetNamespace", Csw.NamespaceName), new XAttribute("elementFormDefault", "qualified"), new XAttribute("version", CswNames.Version),
            new XElement(Xsd + "import", new XAttribute("namespace", Dc.NamespaceName), new XAttribute("schemaLocation", "http://schemas.opengis.net/csw/2.0.2/rec-dcmes.xsd")),
            new XElement(Xsd + "import", new XAttribute("namespace", Dct.NamespaceName), new XAttribute("schemaLocation", "http://schemas.opengis.net/csw/2.0.2/rec-dcterms.xsd")),
            new XElement(Xsd + "complexType", new XAttribute("name", "AbstractRecordType"), new XAttribute("abstract", "true")),
            new XElement(Xsd + "element", new XAttribute("name", "AbstractRecord"), new XAttribute("type", "csw:AbstractRecordType"), new XAttribute("abstract", "true")),
            Element("BriefRecord"), Element("SummaryRecord"), Element("Record"),
            Type("BriefRecordType", Ref(Dc + "identifier", "1"), Ref(Dc + "title", "1"), Ref(Dc + "type", "0", "1")),
            Type("SummaryRecordType", Ref(Dc + "identifier", "1"), Ref(Dc + "title", "1"), Ref(Dc + "type", "0", "1"), Ref(Dc + "subject"),
                Ref(Dc + "format"), Ref(Dc + "relation"), Ref(Dct + "modified"), Ref(Dct + "abstract"), Ref(Dct + "spatial")),
            Type("RecordType", new XElement(Xsd + "choice", new XAttribute("minOccurs", "0"), new XAttribute("maxOccurs", "unbounded"),
                fullTerms.Select(t => Ref(t, "1", "1")))));

        static XElement Element(string name) => new(Xsd + "element", new XAttribute("name", name), new XAttribute("type", $"csw:{name}Type"),
            new XAttribute("substitutionGroup", "csw:AbstractRecord"));
    }

    /// <summary>mi:record: what <see cref="RecordWriter"/> writes for the full element set, in the same order.</summary>
    private static XElement OwnSchema()
    {
        XElement El(string name, string type = "xsd:string", string max = "1") => new(Xsd + "element", new XAttribute("name", name), new XAttribute("type", type),
            new XAttribute("minOccurs", "0"), new XAttribute("maxOccurs", max));
        XElement Entity(string name, params XElement[] members) => new(Xsd + "element", new XAttribute("name", name), new XAttribute("minOccurs", "0"),
            new XElement(Xsd + "complexType", new XElement(Xsd + "sequence", members)));
        return new XElement(Xsd + "schema",
            new XAttribute(XNamespace.Xmlns + "xsd", Xsd.NamespaceName), new XAttribute(XNamespace.Xmlns + "mi", Mi.NamespaceName),
            new XAttribute("targetNamespace", Mi.NamespaceName), new XAttribute("elementFormDefault", "qualified"),
            new XElement(Xsd + "element", new XAttribute("name", "record"), new XElement(Xsd + "complexType",
                new XElement(Xsd + "sequence",
                    El("resourceId"), El("resourceTitle"),
                    Entity("resourceCategory", El("categorySchemeName"), El("categorySchemeCode"), El("categoryName"), El("categoryCode")),
                    El("keyword", max: "unbounded"), El("abstract"),
                    Entity("pointOfContact", El("organizationName"), El("organizationCode"), El("electronicMailAddress"), El("contactNumber"),
                        El("contactAddress"), El("zipCode")),
                    El("dataFormat"), El("securityClassification"), El("onlineResourceLink", max: "unbounded"), El("chargeSign"),
                    El("modality", max: "unbounded"), El("bodyPartExamined", max: "unbounded"), El("studyDate", "xsd:date"), El("studyInstanceUid"),
                    El("numberOfSeries", "xsd:integer"), El("numberOfInstances", "xsd:integer"), El("totalSize", "xsd:integer"),
                    El("studyDescription"), El("kind"), El("publishedAt", "xsd:dateTime")),
                new XElement(Xsd + "attribute", new XAttribute("name", "originNode"), new XAttribute("type", "xsd:string"), new XAttribute("use", "required")),
                new XElement(Xsd + "attribute", new XAttribute("name", "resourceKey"), new XAttribute("type", "xsd:string"), new XAttribute("use", "required")),
                new XElement(Xsd + "attribute", new XAttribute("name", "recordVersion"), new XAttribute("type", "xsd:integer"), new XAttribute("use", "required")))));
    }
}
