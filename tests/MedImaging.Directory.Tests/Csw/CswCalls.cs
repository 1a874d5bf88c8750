using System.Net;
using System.Text;
using System.Xml.Linq;

namespace MedImaging.Directory.Tests;

/// <summary>Calls of the CSW binding and the names tests read responses with.</summary>
internal static class CswCalls
{
    public static readonly XNamespace CswNs = "http://www.opengis.net/cat/csw/2.0.2";
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    public static readonly XNamespace Dct = "http://purl.org/dc/terms/";
    public static readonly XNamespace Ows = "http://www.opengis.net/ows";
    public static readonly XNamespace Ogc = "http://www.opengis.net/ogc";
    public static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";
    public static readonly XNamespace Mi = "urn:medimaging:metadata";

    public static string ExamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "Csw", "Examples", name);

    public static async Task<(HttpStatusCode Status, XDocument Xml)> GetAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/csw?{query}");
        return (response.StatusCode, await ParseAsync(response));
    }

    public static Task<(HttpStatusCode Status, XDocument Xml)> PostAsync(HttpClient client, string xml) => PostAsync(client, Encoding.UTF8.GetBytes(xml));

    public static async Task<(HttpStatusCode Status, XDocument Xml)> PostAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/xml");
        using var response = await client.PostAsync("/csw", content);
        return (response.StatusCode, await ParseAsync(response));
    }

    private static async Task<XDocument> ParseAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/xml", $"{(int)response.StatusCode}: {text}");
        return XDocument.Parse(text);
    }

    /// <summary>An ows:ExceptionReport with one exception of this code and locator (07-006r1 §10.3.7's structure).</summary>
    public static void AssertException(XDocument xml, string code, string? locator)
    {
        var root = xml.Root!;
        Assert.Equal(Ows + "ExceptionReport", root.Name);
        Assert.False(string.IsNullOrEmpty((string?)root.Attribute("version")));
        var exception = Assert.Single(root.Elements(Ows + "Exception"));
        Assert.Equal(code, (string?)exception.Attribute("exceptionCode"));
        if (locator is not null) Assert.Equal(locator, (string?)exception.Attribute("locator"), ignoreCase: true);
        Assert.False(string.IsNullOrWhiteSpace(exception.Element(Ows + "ExceptionText")?.Value));
    }

    public static XElement SearchResults(XDocument xml)
    {
        Assert.True(xml.Root!.Name == CswNs + "GetRecordsResponse", xml.ToString());
        Assert.NotNull(xml.Root.Element(CswNs + "SearchStatus")?.Attribute("timestamp"));
        return xml.Root.Element(CswNs + "SearchResults")!;
    }

    public static long Matched(XDocument xml) => (long)SearchResults(xml).Attribute("numberOfRecordsMatched")!;

    public static IReadOnlyList<string> Identifiers(XDocument xml) =>
        [.. xml.Descendants(Dc + "identifier").Select(i => i.Value).Concat(xml.Descendants(Mi + "resourceId").Select(i => i.Value))];

    public static IReadOnlyList<string> Titles(XDocument xml) => [.. xml.Descendants(Dc + "title").Select(t => t.Value)];

    /// <summary>A GetRecords POST with this ogc:Filter (or csw:CqlText) body inside csw:Constraint.</summary>
    public static string GetRecords(string constraint, string resultType = "results", int maxRecords = 100, string elementSet = "full", string extra = "") => $"""
        <csw:GetRecords xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:ogc="http://www.opengis.net/ogc" xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:dct="http://purl.org/dc/terms/" xmlns:mi="urn:medimaging:metadata" service="CSW" version="2.0.2" resultType="{resultType}" maxRecords="{maxRecords}" {extra}>
          <csw:Query typeNames="csw:Record">
            <csw:ElementSetName>{elementSet}</csw:ElementSetName>
            {(constraint.Length == 0 ? "" : $"<csw:Constraint version=\"1.1.0\">{constraint}</csw:Constraint>")}
          </csw:Query>
        </csw:GetRecords>
        """;

    public static string Cql(string text) => $"service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results&elementSetName=full&maxRecords=100&constraintLanguage=CQL_TEXT&constraint={Uri.EscapeDataString(text)}";
}
