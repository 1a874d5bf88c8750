using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace MedImaging.Directory.Csw;

/// <summary>
/// The GET key-value-pair encoding (07-006r1 §10.5.4, 10.6.4, 10.8.3, 10.9.3). Parameter names are case-insensitive
/// (OWS 1.0 §11.5.2); list values are comma-separated; a FILTER constraint is XML in the parameter, read as safely as a POST body.
/// </summary>
internal static partial class KvpRequestReader
{
    public static CswRequest Read(IQueryCollection query)
    {
        var kvp = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in query.Where(p => p.Key.Length > 0))
            if (value.Count > 1 || !kvp.TryAdd(key, value.ToString()))
                throw CswException.Invalid(key, $"Parameter '{key}' is given more than once.");
        string? Get(string key) => kvp.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        var operation = CswParameters.Operation(Get("request"), "request");
        CswParameters.Service(Get("service"));
        if (operation == "GetCapabilities")
        {
            CswParameters.AcceptVersions(List(Get("acceptVersions")));
            return new GetCapabilitiesRequest(List(Get("sections")));
        }
        CswParameters.Version(Get("version"));
        var namespaces = Namespaces(Get("namespace"));
        switch (operation)
        {
            case "DescribeRecord":
                CswParameters.OutputFormat(Get("outputFormat"));
                SchemaLanguage(Get("schemaLanguage"));
                var types = List(Get("typeName")).Select(t => QName(t, namespaces, "typeName")).ToList();
                if (types.Count > 0) CswParameters.TypeNames(types, "typeName");
                return new DescribeRecordRequest(types);
            case "GetRecordById":
                CswParameters.OutputFormat(Get("outputFormat"));
                var ids = List(Get("id"));
                if (ids.Count == 0) throw CswException.Missing("id");
                return new GetRecordByIdRequest(ids, CswParameters.ElementSet(Get("elementSetName"), "elementSetName"), CswParameters.OutputSchema(Get("outputSchema")));
            default:
                return GetRecords(Get, namespaces, kvp);
        }
    }

    private static GetRecordsRequest GetRecords(Func<string, string?> get, IReadOnlyDictionary<string, XNamespace> namespaces, Dictionary<string, string> kvp)
    {
        CswParameters.OutputFormat(get("outputFormat"));
        if (get("responseHandler") is not null)
            throw new CswException(OwsExceptionCodes.OperationNotSupported, "responseHandler", "Asynchronous GetRecords (responseHandler) is not offered: this node makes no outbound calls.");
        var outputSchema = CswParameters.OutputSchema(get("outputSchema"));
        var typeNames = List(get("typeNames")).Select(t => QName(t, namespaces, "typeNames")).ToList();
        CswParameters.TypeNames(typeNames, "typeNames");
        if (get("elementSetName") is not null && get("elementName") is not null)
            throw CswException.Invalid("elementName", "elementSetName and elementName exclude each other.");

        FilterNode? filter = null;
        if (get("constraint") is { } constraint)
        {
            var language = get("constraintLanguage") ?? throw CswException.Missing("constraintLanguage");
            filter = language.ToUpperInvariant() switch
            {
                "CQL_TEXT" => CqlParser.Parse(constraint),
                "FILTER" => FilterXmlReader.Read(SafeXml.Parse(constraint, "constraint")),
                _ => throw CswException.Invalid("constraintLanguage", $"constraintLanguage must be FILTER or CQL_TEXT, not '{language}'."),
            };
        }
        else if (get("constraintLanguage") is { } lang && !lang.ToUpperInvariant().Equals("CQL_TEXT", StringComparison.Ordinal) && !lang.ToUpperInvariant().Equals("FILTER", StringComparison.Ordinal))
            throw CswException.Invalid("constraintLanguage", $"constraintLanguage must be FILTER or CQL_TEXT, not '{lang}'.");

        var request = new GetRecordsRequest
        {
            ResultType = CswParameters.ResultType(get("resultType")),
            StartPosition = CswParameters.Integer(get("startPosition"), "startPosition", 1, 1),
            MaxRecords = CswParameters.Integer(get("maxRecords"), "maxRecords", CswNames.DefaultMaxRecords, 0),
            ElementSet = CswParameters.ElementSet(get("elementSetName"), "elementSetName"),
            ElementNames = [.. List(get("elementName")).Select(n => QName(n, namespaces, "elementName"))],
            OutputSchema = outputSchema,
            Filter = filter,
            RequestId = get("requestId"),
            Echo = new XElement(CswNames.Csw + "GetRecords", kvp.Select(p => new XAttribute(XmlConvert.EncodeLocalName(p.Key), p.Value))),
        };
        if (get("sortBy") is { } sortBy)
        {
            // sortBy=dc:title:A,dct:modified:D (07-006r1 table 29)
            var keys = List(sortBy).Select(k =>
            {
                var descending = k.EndsWith(":D", StringComparison.OrdinalIgnoreCase);
                var name = k.EndsWith(":D", StringComparison.OrdinalIgnoreCase) || k.EndsWith(":A", StringComparison.OrdinalIgnoreCase) ? k[..^2] : k;
                return (QName(name, namespaces, "sortBy"), descending);
            }).ToList();
            var (sort, desc) = CswParameters.SortKey(keys);
            request = request with { Sort = sort, Descending = desc };
        }
        return request;
    }

    private static void SchemaLanguage(string? value)
    {
        if (value is null || value.Equals("XMLSCHEMA", StringComparison.OrdinalIgnoreCase) || value == CswNames.XmlSchemaLanguage
            || value == "http://www.w3.org/2001/XMLSchema") return;
        throw CswException.Invalid("schemaLanguage", $"schemaLanguage '{value}' is not offered; use XMLSCHEMA.");
    }

    private static List<string> List(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>namespace=xmlns(csw=http://www.opengis.net/cat/csw/2.0.2),xmlns(dc=…) (07-006r1 §10.8.2.1).</summary>
    private static Dictionary<string, XNamespace> Namespaces(string? value)
    {
        var map = new Dictionary<string, XNamespace>(Queryables.Prefixes, StringComparer.Ordinal);
        if (value is null) return map;
        foreach (Match m in XmlnsPattern().Matches(value))
            map[m.Groups["prefix"].Value] = m.Groups["uri"].Value;
        return map;
    }

    private static XName QName(string text, IReadOnlyDictionary<string, XNamespace> namespaces, string locator)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        try
        {
            if (colon < 0) return text == "Record" ? CswNames.Csw + text : XName.Get(text);
            var prefix = text[..colon];
            if (!namespaces.TryGetValue(prefix, out var ns)) throw CswException.Invalid(locator, $"Prefix '{prefix}' of '{text}' is not bound (namespace parameter).");
            return ns + text[(colon + 1)..];
        }
        catch (Exception e) when (e is XmlException or ArgumentException) { throw CswException.Invalid(locator, $"'{text}' is not a qualified name."); }
    }

    [GeneratedRegex(@"xmlns\((?:(?<prefix>[A-Za-z_][\w.-]*)=)?(?<uri>[^)]+)\)")]
    private static partial Regex XmlnsPattern();
}
