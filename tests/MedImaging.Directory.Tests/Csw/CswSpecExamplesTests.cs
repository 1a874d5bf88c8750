using System.Net;
using System.Xml.Linq;
using MedImaging.ServiceDefaults.Auth;
using static MedImaging.Directory.Tests.CswCalls;

namespace MedImaging.Directory.Tests;

/// <summary>
/// The request examples of OGC 07-006r1 (Examples/README.md says where they come from), sent as is; the responses
/// checked for the structure of the spec's response examples. No XML Schema validation: the CSW 2.0.2 XSDs (and the
/// OWS, Filter and GML schemas they import) are not available on this machine, so the structure is checked explicitly.
/// </summary>
public sealed class CswSpecExamplesTests : IAsyncLifetime
{
    private const string Example02Id = "efc40467-284d-4fee-af2a-522c717e7165";
    private DirectoryNode _node = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        _anonymous = _node.Directory.CreateClient();
        await _node.ApplyAsync(
            _node.Published("大气污染暴露人群胸部CT随访") with { Abstract = "Cohort of the air polution exposure study: low-dose chest CT.", Keywords = ["肺结节", "air"] },
            _node.Published("工业污染受限队列", SecurityLevels.Restricted) with { Abstract = "Restricted polution cohort." },
            _node.Published("腹部MR增强", id: Guid.Parse(Example02Id)) with
            {
                Abstract = "Contrast-enhanced abdominal MR.", Keywords = ["肝脏", "MR"], ResourceIdentifier = "2.16.156.10011.2.9.130000.2.2.1.1",
                Format = "DICOM", InstitutionName = "河北医科大学第二医院",
            });
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _node.DisposeAsync();
    }

    private static byte[] Example(string name) => File.ReadAllBytes(ExamplePath(name));

    private static XDocument ExampleXml(string name) => XDocument.Load(ExamplePath(name));

    [Fact]
    public async Task GetCapabilities_of_clause_10_5_5_answers_OWS_service_metadata_with_the_four_operations()
    {
        var (status, xml) = await PostAsync(_anonymous, Example("Clause_10.5.5_Example.xml"));

        Assert.Equal(HttpStatusCode.OK, status);
        var root = xml.Root!;
        Assert.Equal(CswNs + "Capabilities", root.Name);
        Assert.Equal("2.0.2", (string?)root.Attribute("version"));
        var identification = root.Element(Ows + "ServiceIdentification")!;
        Assert.Equal("CSW", identification.Element(Ows + "ServiceType")!.Value);
        Assert.Equal("2.0.2", identification.Element(Ows + "ServiceTypeVersion")!.Value);
        Assert.NotNull(root.Element(Ows + "ServiceProvider")?.Element(Ows + "ProviderName"));
        var operations = root.Element(Ows + "OperationsMetadata")!.Elements(Ows + "Operation").ToDictionary(o => (string)o.Attribute("name")!);
        Assert.Equal(["DescribeRecord", "GetCapabilities", "GetRecordById", "GetRecords"], operations.Keys.Order(StringComparer.Ordinal));
        foreach (var op in operations.Values)
        {
            var http = op.Element(Ows + "DCP")!.Element(Ows + "HTTP")!;
            Assert.EndsWith("/csw", (string)http.Element(Ows + "Get")!.Attribute(XName.Get("href", "http://www.w3.org/1999/xlink"))!, StringComparison.Ordinal);
            Assert.EndsWith("/csw", (string)http.Element(Ows + "Post")!.Attribute(XName.Get("href", "http://www.w3.org/1999/xlink"))!, StringComparison.Ordinal);
        }
        var getRecords = operations["GetRecords"];
        string[] Values(string constraint) => [.. getRecords.Elements(Ows + "Constraint").Single(c => (string?)c.Attribute("name") == constraint).Elements(Ows + "Value").Select(v => v.Value)];
        Assert.Contains("csw:AnyText", Values("SupportedDublinCoreQueryables"));
        Assert.Contains("dc:title", Values("SupportedDublinCoreQueryables"));
        Assert.Contains("mi:categoryCode", Values("AdditionalQueryables"));
        Assert.Contains("urn:medimaging:metadata", getRecords.Elements(Ows + "Parameter").Single(p => (string?)p.Attribute("name") == "outputSchema").Elements(Ows + "Value").Select(v => v.Value));
        Assert.NotNull(root.Element(Ogc + "Filter_Capabilities")?.Element(Ogc + "Scalar_Capabilities"));
    }

    [Fact]
    public async Task DescribeRecord_of_clause_10_6_6_answers_the_schema_of_csw_Record()
    {
        var (status, xml) = await PostAsync(_anonymous, Example("Clause_10.6.6_Example.xml"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(CswNs + "DescribeRecordResponse", xml.Root!.Name);
        var component = xml.Root.Elements(CswNs + "SchemaComponent").Single(c => (string?)c.Attribute("targetNamespace") == CswNs.NamespaceName);
        var schema = component.Element(Xsd + "schema")!;
        Assert.Equal(CswNs.NamespaceName, (string?)schema.Attribute("targetNamespace"));
        Assert.Equal(["BriefRecord", "Record", "SummaryRecord"], schema.Elements(Xsd + "element").Select(e => (string)e.Attribute("name")!)
            .Where(n => n.EndsWith("Record", StringComparison.Ordinal) && n != "AbstractRecord").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetRecords_of_clause_10_8_6_is_refused_for_its_response_handler_and_answered_without_it()
    {
        // As is: asynchronous (ResponseHandler ftp://…), which a node that makes no outbound calls does not offer.
        var (status, refused) = await PostAsync(_anonymous, Example("Clause_10.8.6_Example.xml"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertException(refused, "OperationNotSupported", "ResponseHandler");

        // The same request answered synchronously: typeNames="Record" and PropertyName AnyText unprefixed, % wildcards.
        var request = ExampleXml("Clause_10.8.6_Example.xml");
        request.Root!.Element(CswNs + "ResponseHandler")!.Remove();
        (status, var xml) = await PostAsync(_anonymous, request.ToString());

        Assert.Equal(HttpStatusCode.OK, status);
        var results = SearchResults(xml);
        Assert.Equal("brief", (string?)results.Attribute("elementSet"));
        Assert.Equal(CswNs.NamespaceName, (string?)results.Attribute("recordSchema"));
        // The restricted "polution" entry is neither counted nor returned to an anonymous caller.
        Assert.Equal((1, 1, 0), ((int)results.Attribute("numberOfRecordsMatched")!, (int)results.Attribute("numberOfRecordsReturned")!, (int)results.Attribute("nextRecord")!));
        var record = Assert.Single(results.Elements());
        AssertStructure(record, ExampleXml("Clause_10.2.5.3.4_Example01_Brief.xml").Root!, ordered: true);
        Assert.Equal("大气污染暴露人群胸部CT随访", record.Element(Dc + "title")!.Value);
    }

    [Fact]
    public async Task GetRecordById_of_clause_10_9_6_finds_nothing_for_ids_the_catalogue_does_not_hold()
    {
        var (status, xml) = await PostAsync(_anonymous, Example("Clause_10.9.6_Example.xml"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(CswNs + "GetRecordByIdResponse", xml.Root!.Name);
        Assert.Empty(xml.Root.Elements());
    }

    [Fact]
    public async Task GetRecordById_of_clause_10_9_6_example_02_answers_a_summary_record_shaped_like_the_specs_response()
    {
        var (status, xml) = await PostAsync(_anonymous, Example("Clause_10.9.6_Example02_Request.xml"));

        Assert.Equal(HttpStatusCode.OK, status);
        var record = Assert.Single(xml.Root!.Elements());
        AssertStructure(record, ExampleXml("Clause_10.9.6_Example02_Response.xml").Root!, ordered: true);
        AssertStructure(record, ExampleXml("Clause_10.2.5.3.4_Example02_Summary.xml").Root!, ordered: true);
        Assert.Equal("2.16.156.10011.2.9.130000.2.2.1.1", record.Element(Dc + "identifier")!.Value);
        Assert.Equal(["2.2.1", "MR", "肝脏"], record.Elements(Dc + "subject").Select(s => s.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_three_element_sets_have_the_structure_of_clause_10_2_5_3_4()
    {
        foreach (var (set, example, ordered) in new[] { ("brief", "Clause_10.2.5.3.4_Example01_Brief.xml", true),
            ("summary", "Clause_10.2.5.3.4_Example02_Summary.xml", true), ("full", "Clause_10.2.5.3.4_Example03_Full.xml", false) })
        {
            var (status, xml) = await GetAsync(_anonymous, $"service=CSW&version=2.0.2&request=GetRecordById&id={Example02Id}&elementSetName={set}");
            Assert.Equal(HttpStatusCode.OK, status);
            AssertStructure(Assert.Single(xml.Root!.Elements()), ExampleXml(example).Root!, ordered);
        }
    }

    [Fact]
    public async Task Clause_6_3_3s_spatial_query_GetDomain_Harvest_and_ebRIM_output_are_exception_reports_naming_what_is_not_offered()
    {
        var (status, xml) = await PostAsync(_anonymous, Example("Clause_6.3.3_Example01_Request.xml"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertException(xml, "InvalidParameterValue", "Constraint");

        (_, xml) = await PostAsync(_anonymous, Example("Clause_10.7.6_Example.xml"));
        AssertException(xml, "OperationNotSupported", "GetDomain");
        (_, xml) = await PostAsync(_anonymous, Example("Clause_10.12.6_Example.xml"));
        AssertException(xml, "OperationNotSupported", "Harvest");
        (_, xml) = await PostAsync(_anonymous, Example("Clause_10.8.4.9_Example03.xml"));
        AssertException(xml, "InvalidParameterValue", "outputSchema");

        // The structure of the spec's own exception example (§10.3.7).
        var example = ExampleXml("Clause_10.3.7_Example.xml").Root!;
        Assert.Equal(example.Name, xml.Root!.Name);
        Assert.Equal(example.Elements().Select(e => e.Name), xml.Root.Elements().Select(e => e.Name));
        Assert.Equal(example.Element(Ows + "Exception")!.Attributes().Select(a => a.Name.ToString()).Order(StringComparer.Ordinal), xml.Root.Element(Ows + "Exception")!.Attributes().Select(a => a.Name.ToString()).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Our record has the example's root element and only elements the example's record type has (full records: any
    /// Dublin Core term); ordered: in the example's order (brief and summary are sequences in record.xsd).
    /// </summary>
    private static void AssertStructure(XElement ours, XElement example, bool ordered)
    {
        Assert.Equal(example.Name, ours.Name);
        var names = ours.Elements().Select(e => e.Name).ToList();
        Assert.Contains(Dc + "identifier", names);
        Assert.Contains(Dc + "title", names);
        if (!ordered)
        {
            Assert.All(names, n => Assert.True(n.Namespace == Dc || n.Namespace == Dct, $"{n} is not a Dublin Core term"));
            return;
        }
        var order = example.Elements().Select(e => e.Name).Distinct().ToList();
        Assert.All(names, n => Assert.True(order.Contains(n), $"{n} is not in {example.Name.LocalName}"));
        var positions = names.Select(n => order.IndexOf(n)).ToList();
        Assert.Equal(positions.Order(), positions);
    }
}
