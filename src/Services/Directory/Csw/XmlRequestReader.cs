using System.Xml.Linq;

namespace MedImaging.Directory.Csw;

/// <summary>The POST XML encoding (CSW-discovery.xsd): the root element names the operation.</summary>
internal static class XmlRequestReader
{
    private static readonly XNamespace Csw = CswNames.Csw, Ogc = CswNames.Ogc, Ows = CswNames.Ows;

    public static CswRequest Read(XElement root)
    {
        if (root.Name.Namespace != Csw)
            throw CswException.Invalid("request", $"{root.Name} is not a CSW {CswNames.Version} request (namespace {Csw.NamespaceName}).");
        var operation = CswParameters.Operation(root.Name.LocalName, root.Name.LocalName);
        CswParameters.Service((string?)root.Attribute("service"));
        if (operation == "GetCapabilities")
        {
            CswParameters.AcceptVersions([.. root.Element(Ows + "AcceptVersions")?.Elements(Ows + "Version").Select(v => v.Value.Trim()) ?? []]);
            return new GetCapabilitiesRequest([.. root.Element(Ows + "Sections")?.Elements(Ows + "Section").Select(s => s.Value.Trim()) ?? []]);
        }
        CswParameters.Version((string?)root.Attribute("version"));
        CswParameters.OutputFormat((string?)root.Attribute("outputFormat"));
        switch (operation)
        {
            case "DescribeRecord":
                var language = (string?)root.Attribute("schemaLanguage");
                if (language is not null && language != CswNames.XmlSchemaLanguage && language != "http://www.w3.org/2001/XMLSchema"
                    && !language.Equals("XMLSCHEMA", StringComparison.OrdinalIgnoreCase))
                    throw CswException.Invalid("schemaLanguage", $"schemaLanguage '{language}' is not offered; use {CswNames.XmlSchemaLanguage}.");
                var types = root.Elements(Csw + "TypeName").Select(t => QName(t, t.Value.Trim(), "TypeName")).ToList();
                if (types.Count > 0) CswParameters.TypeNames(types, "TypeName");
                return new DescribeRecordRequest(types);
            case "GetRecordById":
                var ids = root.Elements(Csw + "Id").Select(i => i.Value.Trim()).Where(i => i.Length > 0).ToList();
                if (ids.Count == 0) throw CswException.Missing("Id");
                return new GetRecordByIdRequest(ids, CswParameters.ElementSet((string?)root.Element(Csw + "ElementSetName")),
                    CswParameters.OutputSchema((string?)root.Attribute("outputSchema")));
            default:
                return GetRecords(root);
        }
    }

    private static GetRecordsRequest GetRecords(XElement root)
    {
        if (root.Elements(Csw + "ResponseHandler").Any())
            throw new CswException(OwsExceptionCodes.OperationNotSupported, "ResponseHandler", "Asynchronous GetRecords (ResponseHandler) is not offered: this node makes no outbound calls.");
        // The record schema first: a request for another information model (ebRIM, ISO) is refused for that, whatever it queries.
        var outputSchema = CswParameters.OutputSchema((string?)root.Attribute("outputSchema"));
        var query = root.Element(Csw + "Query") ?? throw CswException.Missing("Query");
        var typeNames = ((string?)query.Attribute("typeNames") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => QName(query, t, "typeNames")).ToList();
        CswParameters.TypeNames(typeNames, "typeNames");

        var elementSet = query.Element(Csw + "ElementSetName");
        var elementNames = query.Elements(Csw + "ElementName").Select(n => QName(n, n.Value.Trim(), "ElementName")).ToList();
        if (elementSet is not null && elementNames.Count > 0) throw CswException.Invalid("ElementName", "ElementSetName and ElementName exclude each other.");

        var request = new GetRecordsRequest
        {
            ResultType = CswParameters.ResultType((string?)root.Attribute("resultType")),
            StartPosition = CswParameters.Integer((string?)root.Attribute("startPosition"), "startPosition", 1, 1),
            MaxRecords = CswParameters.Integer((string?)root.Attribute("maxRecords"), "maxRecords", CswNames.DefaultMaxRecords, 0),
            ElementSet = CswParameters.ElementSet(elementSet?.Value),
            ElementNames = elementNames,
            OutputSchema = outputSchema,
            Filter = Constraint(query.Element(Csw + "Constraint")),
            RequestId = (string?)root.Attribute("requestId"),
            Echo = root,
        };
        if (query.Element(Ogc + "SortBy") is { } sortBy)
        {
            var keys = sortBy.Elements(Ogc + "SortProperty").Select(p =>
            {
                var name = p.Element(Ogc + "PropertyName") ?? throw CswException.Invalid("SortBy", "ogc:SortProperty needs an ogc:PropertyName.");
                var order = ((string?)p.Element(Ogc + "SortOrder"))?.Trim().ToUpperInvariant() ?? "ASC";
                if (order is not ("ASC" or "DESC")) throw CswException.Invalid("SortBy", $"SortOrder must be ASC or DESC, not '{order}'.");
                return (QName(name, name.Value.Trim(), "SortBy"), order == "DESC");
            }).ToList();
            var (sort, descending) = CswParameters.SortKey(keys);
            request = request with { Sort = sort, Descending = descending };
        }
        return request;
    }

    private static FilterNode? Constraint(XElement? constraint)
    {
        if (constraint is null) return null;
        if (constraint.Element(Ogc + "Filter") is { } filter) return FilterXmlReader.Read(filter);
        if (constraint.Element(Csw + "CqlText") is { } cql) return CqlParser.Parse(cql.Value);
        throw CswException.Invalid("Constraint", "csw:Constraint holds an ogc:Filter or a csw:CqlText.");
    }

    private static XName QName(XElement context, string text, string locator)
    {
        try
        {
            var name = FilterXmlReader.QualifiedName(context, text);
            // An unprefixed type name is in the request's default namespace (07-006r1 §10.8.6: typeNames="Record").
            return name.Namespace == XNamespace.None && name.LocalName == "Record" && context.GetDefaultNamespace() == Csw ? Csw + name.LocalName : name;
        }
        catch (Exception e) when (e is System.Xml.XmlException or ArgumentException)
        {
            throw CswException.Invalid(locator, $"'{text}' is not a qualified name.");
        }
    }
}
