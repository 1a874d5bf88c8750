using System.Xml.Linq;

namespace MedImaging.Directory.Csw;

/// <summary>The namespaces, version and limits of the CSW 2.0.2 binding (OGC 07-006r1).</summary>
public static class CswNames
{
    public const string Version = "2.0.2";
    public const string Service = "CSW";

    public static readonly XNamespace Csw = "http://www.opengis.net/cat/csw/2.0.2";
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    public static readonly XNamespace Dct = "http://purl.org/dc/terms/";
    public static readonly XNamespace Ows = "http://www.opengis.net/ows";
    public static readonly XNamespace Ogc = "http://www.opengis.net/ogc";
    public static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";
    public static readonly XNamespace Xlink = "http://www.w3.org/1999/xlink";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>
    /// The project's own record schema: the Metadata service's element ids (§4.7.2 basic set and the DICOM extension
    /// set) in the unversioned prefix of its export namespaces (<c>urn:medimaging:metadata:{set}:{version}</c>).
    /// </summary>
    public static readonly XNamespace Mi = "urn:medimaging:metadata";

    /// <summary>outputSchema values: Dublin Core csw:Record and the project's own.</summary>
    public static readonly string CswSchema = Csw.NamespaceName;
    public static readonly string OwnSchema = Mi.NamespaceName;
    public static readonly IReadOnlyList<string> OutputSchemas = [CswSchema, OwnSchema];

    public const string OutputFormat = "application/xml";
    public const string XmlSchemaLanguage = "http://www.w3.org/XML/Schema";

    /// <summary>Default and largest page (maxRecords), and the deepest position a page may end at (startPosition + maxRecords − 1).</summary>
    public const int DefaultMaxRecords = 10;
    public const int MaxRecords = 1000;
    public const int MaxPosition = 10_000;

    /// <summary>The largest POST body read (a GetRecords with a long filter fits many times over).</summary>
    public const int MaxRequestBytes = 256 * 1024;

    public static XAttribute[] Prefixes() =>
    [
        new(XNamespace.Xmlns + "csw", Csw.NamespaceName), new(XNamespace.Xmlns + "dc", Dc.NamespaceName),
        new(XNamespace.Xmlns + "dct", Dct.NamespaceName), new(XNamespace.Xmlns + "ows", Ows.NamespaceName),
        new(XNamespace.Xmlns + "ogc", Ogc.NamespaceName), new(XNamespace.Xmlns + "xsi", Xsi.NamespaceName),
    ];
}
