using System.Net;
using System.Text;
using static MedImaging.Directory.Tests.CswCalls;

namespace MedImaging.Directory.Tests;

/// <summary>Every refused request is an OWS ExceptionReport with the right exceptionCode and the parameter as locator; never a 500.</summary>
public sealed class CswErrorTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        _anonymous = _node.Directory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _node.DisposeAsync();
    }

    private const string Records = "service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record";

    public static TheoryData<string, string, string> KeyValueErrors => new()
    {
        { "service=CSW", "MissingParameterValue", "request" },
        { "request=GetCapabilities", "MissingParameterValue", "service" },
        { "service=WMS&request=GetCapabilities", "InvalidParameterValue", "service" },
        { "service=CSW&request=GetCapabilities&acceptVersions=1.0.0,3.0.0", "VersionNegotiationFailed", "AcceptVersions" },
        { "service=CSW&request=GetRecords&typeNames=csw:Record", "MissingParameterValue", "version" },
        { "service=CSW&version=3.0.0&request=GetRecords&typeNames=csw:Record", "InvalidParameterValue", "version" },
        { "service=CSW&version=2.0.2&request=Transaction", "OperationNotSupported", "Transaction" },
        { "service=CSW&version=2.0.2&request=GetRecords", "MissingParameterValue", "typeNames" },
        { "service=CSW&version=2.0.2&request=GetRecords&typeNames=gmd:MD_Metadata&namespace=xmlns(gmd=http://www.isotc211.org/2005/gmd)", "InvalidParameterValue", "typeNames" },
        { Records + "&resultType=everything", "InvalidParameterValue", "resultType" },
        { Records + "&startPosition=0", "InvalidParameterValue", "startPosition" },
        { Records + "&maxRecords=-1", "InvalidParameterValue", "maxRecords" },
        { Records + "&resultType=results&startPosition=9995&maxRecords=10", "InvalidParameterValue", "startPosition" },
        { Records + "&elementSetName=huge", "InvalidParameterValue", "elementSetName" },
        { Records + "&outputSchema=http://www.isotc211.org/2005/gmd", "InvalidParameterValue", "outputSchema" },
        { Records + "&outputFormat=application/json", "InvalidParameterValue", "outputFormat" },
        { Records + "&constraint=dc:title='x'", "MissingParameterValue", "constraintLanguage" },
        { Records + "&constraintLanguage=SQL&constraint=1", "InvalidParameterValue", "constraintLanguage" },
        { Records + "&constraintLanguage=CQL_TEXT&constraint=dc:title%20%3D", "InvalidParameterValue", "Constraint" },
        { Records + "&constraintLanguage=CQL_TEXT&constraint=dc:creator%20%3D%20'x'", "InvalidParameterValue", "Constraint" },
        { Records + "&constraintLanguage=CQL_TEXT&constraint=dct:modified%20LIKE%20'2024%25'", "InvalidParameterValue", "Constraint" },
        { Records + "&constraintLanguage=FILTER&constraint=%3Cogc:Filter", "InvalidParameterValue", "constraint" },
        { Records + "&sortBy=dc:format:A", "InvalidParameterValue", "SortBy" },
        { "service=CSW&version=2.0.2&request=GetRecordById", "MissingParameterValue", "id" },
        { "service=CSW&version=2.0.2&request=GetRecords&REQUEST=GetRecordById&typeNames=csw:Record", "InvalidParameterValue", "request" },
        { "service=CSW&version=2.0.2&request=DescribeRecord&typeName=csw:Other", "InvalidParameterValue", "typeName" },
    };

    [Theory]
    [MemberData(nameof(KeyValueErrors))]
    public async Task A_bad_key_value_request_is_an_exception_report_naming_the_parameter(string query, string code, string locator)
    {
        var (status, xml) = await GetAsync(_anonymous, query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertException(xml, code, locator);
    }

    public static TheoryData<string, string, string> XmlErrors => new()
    {
        { "<csw:GetRecords xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\" service=\"CSW\" version=\"2.0.2\"><csw:Query typeNames=\"csw:Record\">", "InvalidParameterValue", "request" },
        { "not xml at all", "InvalidParameterValue", "request" },
        { "<GetRecords xmlns=\"urn:other\"/>", "InvalidParameterValue", "request" },
        { "<csw:GetRecords xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\" service=\"CSW\" version=\"2.0.2\"/>", "MissingParameterValue", "Query" },
        { "<csw:GetRecords xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\" version=\"2.0.2\"><csw:Query typeNames=\"csw:Record\"/></csw:GetRecords>", "MissingParameterValue", "service" },
        { GetRecords("<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>dc:title</ogc:PropertyName></ogc:PropertyIsEqualTo></ogc:Filter>"), "InvalidParameterValue", "Constraint" },
        { GetRecords("<ogc:Filter><ogc:FeatureId fid=\"x\"/></ogc:Filter>"), "InvalidParameterValue", "Constraint" },
        { GetRecords("<ogc:Filter><ogc:PropertyIsGreaterThan><ogc:PropertyName>csw:AnyText</ogc:PropertyName><ogc:Literal>a</ogc:Literal></ogc:PropertyIsGreaterThan></ogc:Filter>"), "InvalidParameterValue", "Constraint" },
        { GetRecords("<ogc:Filter><ogc:PropertyIsLessThan><ogc:PropertyName>dct:modified</ogc:PropertyName><ogc:Literal>yesterday</ogc:Literal></ogc:PropertyIsLessThan></ogc:Filter>"), "InvalidParameterValue", "Constraint" },
        { "<csw:GetRecordById xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\" service=\"CSW\" version=\"2.0.2\"/>", "MissingParameterValue", "Id" },
    };

    [Theory]
    [MemberData(nameof(XmlErrors))]
    public async Task A_bad_XML_request_is_an_exception_report_naming_the_parameter(string body, string code, string locator)
    {
        var (status, xml) = await PostAsync(_anonymous, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertException(xml, code, locator);
    }

    [Fact]
    public async Task A_document_type_declaration_is_refused_so_no_entity_is_ever_expanded_or_fetched()
    {
        const string ExternalEntity = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <csw:GetRecordById xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" service="CSW" version="2.0.2"><csw:Id>&x;</csw:Id></csw:GetRecordById>
            """;
        const string Laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
            <csw:GetRecordById xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" service="CSW" version="2.0.2"><csw:Id>&c;</csw:Id></csw:GetRecordById>
            """;
        foreach (var body in new[] { ExternalEntity, Laughs })
        {
            var (status, xml) = await PostAsync(_anonymous, body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            AssertException(xml, "InvalidParameterValue", "request");
            Assert.DoesNotContain("root:", xml.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_before_it_is_parsed()
    {
        var big = "<csw:GetRecords xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\" service=\"CSW\" version=\"2.0.2\"><!--"
            + new string('x', 300 * 1024) + "--></csw:GetRecords>";
        var (status, xml) = await PostAsync(_anonymous, Encoding.UTF8.GetBytes(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertException(xml, "NoApplicableCode", "request");
    }
}
