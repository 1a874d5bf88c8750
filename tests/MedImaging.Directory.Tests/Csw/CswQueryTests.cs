using System.Net;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using MedImaging.ServiceDefaults.Auth;
using static MedImaging.Directory.Tests.CswCalls;

namespace MedImaging.Directory.Tests;

/// <summary>GetRecords constraints (Filter XML and CQL), Chinese free text, paging, result types and output schemas.</summary>
public sealed class CswQueryTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        _client = _node.Client(SecurityLevels.Internal);
        await _node.ApplyAsync(
            _node.Published("胸部CT平扫 肺结节随访") with { Abstract = "低剂量CT筛查发现的肺部结节", Keywords = ["肺结节"], Modalities = ["CT"], ClassificationCode = "2.2.1", StudyDate = new DateOnly(2024, 5, 1) },
            _node.Published("Chest CT lung nodule follow-up") with { Abstract = "pulmonary nodule", Modalities = ["CT"], ClassificationCode = "2.2.2", StudyDate = new DateOnly(2024, 6, 1) },
            _node.Published("头颅MR平扫") with { Abstract = "脑部磁共振", Modalities = ["MR"], BodyParts = ["HEAD"], ClassificationCode = "3.1.1", StudyDate = new DateOnly(2023, 1, 9) },
            _node.Published("腹部MR增强 内部", SecurityLevels.Internal) with { Abstract = "肝脏结节", Modalities = ["MR"], ClassificationCode = "3.2.1", StudyDate = new DateOnly(2022, 12, 31), Kind = "Dataset" });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _node.DisposeAsync();
    }

    [Fact]
    public async Task A_two_character_Chinese_AnyText_term_finds_entries_in_unsegmented_text_in_Filter_and_in_CQL()
    {
        var filter = await PostAsync(_client, GetRecords("""
            <ogc:Filter><ogc:PropertyIsLike wildCard="*" singleChar="?" escapeChar="\"><ogc:PropertyName>csw:AnyText</ogc:PropertyName><ogc:Literal>*结节*</ogc:Literal></ogc:PropertyIsLike></ogc:Filter>
            """));
        var cql = await GetAsync(_client, Cql("csw:AnyText LIKE '%结节%'"));

        Assert.Equal(HttpStatusCode.OK, filter.Status);
        // AnyText goes through the concept dictionary too (§3.3.3.2): 结节 also finds the entry described as "pulmonary nodule".
        Assert.Equal(["Chest CT lung nodule follow-up", "胸部CT平扫 肺结节随访", "腹部MR增强 内部"], Titles(filter.Xml).Order(StringComparer.Ordinal));
        Assert.Equal(Titles(filter.Xml).Order(StringComparer.Ordinal), Titles(cql.Xml).Order(StringComparer.Ordinal));
        Assert.Equal(3, Matched(cql.Xml));
    }

    public static TheoryData<string, string, string[]> Pairs => new()
    {
        { "<ogc:PropertyIsEqualTo><ogc:PropertyName>mi:modality</ogc:PropertyName><ogc:Literal>MR</ogc:Literal></ogc:PropertyIsEqualTo>",
            "mi:modality = 'MR'", ["头颅MR平扫", "腹部MR增强 内部"] },
        { "<ogc:PropertyIsEqualTo><ogc:PropertyName>mi:categoryCode</ogc:PropertyName><ogc:Literal>2.2</ogc:Literal></ogc:PropertyIsEqualTo>",
            "mi:categoryCode = '2.2'", ["Chest CT lung nodule follow-up", "胸部CT平扫 肺结节随访"] },
        { "<ogc:PropertyIsLike wildCard=\"%\" singleChar=\"_\" escapeChar=\"\\\" matchCase=\"false\"><ogc:PropertyName>dc:title</ogc:PropertyName><ogc:Literal>chest%</ogc:Literal></ogc:PropertyIsLike>",
            "dc:title ILIKE 'chest%'", ["Chest CT lung nodule follow-up"] },
        { "<ogc:PropertyIsBetween><ogc:PropertyName>dc:date</ogc:PropertyName><ogc:LowerBoundary><ogc:Literal>2023-01-01</ogc:Literal></ogc:LowerBoundary><ogc:UpperBoundary><ogc:Literal>2024-05-01</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween>",
            "dc:date BETWEEN 2023-01-01 AND 2024-05-01", ["头颅MR平扫", "胸部CT平扫 肺结节随访"] },
        { "<ogc:Or><ogc:PropertyIsEqualTo><ogc:PropertyName>dc:type</ogc:PropertyName><ogc:Literal>Dataset</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsLessThan><ogc:PropertyName>mi:studyDate</ogc:PropertyName><ogc:Literal>2023-06-01</ogc:Literal></ogc:PropertyIsLessThan></ogc:Or>",
            "dc:type = 'Dataset' OR mi:studyDate < '2023-06-01'", ["头颅MR平扫", "腹部MR增强 内部"] },
        { "<ogc:And><ogc:Not><ogc:PropertyIsEqualTo><ogc:PropertyName>mi:modality</ogc:PropertyName><ogc:Literal>MR</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Not><ogc:PropertyIsNotEqualTo><ogc:PropertyName>dct:abstract</ogc:PropertyName><ogc:Literal>pulmonary nodule</ogc:Literal></ogc:PropertyIsNotEqualTo></ogc:And>",
            "NOT mi:modality = 'MR' AND dct:abstract <> 'pulmonary nodule'", ["胸部CT平扫 肺结节随访"] },
        { "<ogc:Or><ogc:PropertyIsLike wildCard=\"*\" singleChar=\"?\" escapeChar=\"!\"><ogc:PropertyName>csw:AnyText</ogc:PropertyName><ogc:Literal>*脑部*</ogc:Literal></ogc:PropertyIsLike><ogc:PropertyIsEqualTo><ogc:PropertyName>mi:securityClassification</ogc:PropertyName><ogc:Literal>internal</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Or>",
            "csw:AnyText LIKE '%脑部%' OR mi:securityClassification = 'internal'", ["头颅MR平扫", "腹部MR增强 内部"] },
        { "<ogc:And><ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>dct:modified</ogc:PropertyName><ogc:Literal>2000-01-01</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>dc:subject</ogc:PropertyName><ogc:Literal>肺结节</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And>",
            "dct:modified >= 2000-01-01 AND dc:subject = '肺结节'", ["胸部CT平扫 肺结节随访"] },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_Filter_and_its_CQL_find_the_same_entries(string filter, string cql, string[] expected)
    {
        var byFilter = await PostAsync(_client, GetRecords($"<ogc:Filter>{filter}</ogc:Filter>"));
        var byCql = await GetAsync(_client, Cql(cql));
        var byCqlPost = await PostAsync(_client, GetRecords($"<csw:CqlText>{System.Security.SecurityElement.Escape(cql)}</csw:CqlText>"));

        Assert.Equal(expected.Order(StringComparer.Ordinal), Titles(byFilter.Xml).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), Titles(byCql.Xml).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), Titles(byCqlPost.Xml).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length, Matched(byFilter.Xml));
        Assert.Equal(expected.Length, Matched(byCql.Xml));
    }

    [Fact]
    public async Task Pages_by_startPosition_and_maxRecords_cover_every_match_once_with_nextRecord_as_the_spec_says()
    {
        await _node.ApplyAsync([.. Enumerable.Range(1, 23).Select(i => (object)_node.Published($"分页测试 {i:D2}"))]);
        var seen = new List<string>();
        var start = 1;
        var pages = 0;
        while (start != 0)
        {
            var (_, xml) = await GetAsync(_client, $"service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results&elementSetName=brief" +
                $"&sortBy=dc:title:A&startPosition={start}&maxRecords=10&constraintLanguage=CQL_TEXT&constraint={Uri.EscapeDataString("dc:title LIKE '分页测试%'")}");
            var results = SearchResults(xml);
            Assert.Equal(23, (int)results.Attribute("numberOfRecordsMatched")!);
            var returned = (int)results.Attribute("numberOfRecordsReturned")!;
            var next = (int)results.Attribute("nextRecord")!;
            Assert.Equal(start + returned > 23 ? 0 : start + returned, next);
            seen.AddRange(Titles(xml));
            start = next;
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 23).Select(i => $"分页测试 {i:D2}"), seen);
    }

    [Fact]
    public async Task Hits_count_without_records_and_validate_echoes_the_request()
    {
        var (_, hits) = await PostAsync(_client, GetRecords("<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>mi:modality</ogc:PropertyName><ogc:Literal>CT</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>", resultType: "hits"));
        Assert.Equal(2, Matched(hits));
        Assert.Empty(SearchResults(hits).Elements());
        Assert.Equal(0, (int)SearchResults(hits).Attribute("numberOfRecordsReturned")!);

        var (status, ack) = await PostAsync(_client, GetRecords("", resultType: "validate", extra: "requestId=\"urn:uuid:1\""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(CswNs + "Acknowledgement", ack.Root!.Name);
        Assert.Equal(CswNs + "GetRecords", ack.Root.Element(CswNs + "EchoedRequest")!.Elements().Single().Name);
        Assert.Equal("urn:uuid:1", ack.Root.Element(CswNs + "RequestId")!.Value);
    }

    [Fact]
    public async Task The_projects_own_output_schema_answers_records_valid_against_the_schema_DescribeRecord_gives()
    {
        var (_, described) = await GetAsync(_client, "service=CSW&version=2.0.2&request=DescribeRecord&typeName=csw:Record");
        var ownSchema = described.Root!.Elements(CswNs + "SchemaComponent").Single(c => (string?)c.Attribute("targetNamespace") == Mi.NamespaceName).Element(Xsd + "schema")!;
        var schemas = new XmlSchemaSet();
        using (var reader = ownSchema.CreateReader()) schemas.Add(null, reader);

        foreach (var set in new[] { "brief", "summary", "full" })
        {
            var (status, xml) = await GetAsync(_client, $"service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results&elementSetName={set}&outputSchema=urn:medimaging:metadata");
            Assert.Equal(HttpStatusCode.OK, status);
            var records = SearchResults(xml).Elements().ToList();
            Assert.Equal(4, records.Count);
            foreach (var record in records)
            {
                var errors = new List<string>();
                new XDocument(record).Validate(schemas, (_, e) => errors.Add(e.Message));
                Assert.True(errors.Count == 0, string.Join("; ", errors) + "\n" + record);
                Assert.Equal(Mi + "record", record.Name);
            }
        }
        var (_, full) = await GetAsync(_client, "service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results&elementSetName=full&outputSchema=urn:medimaging:metadata" +
            $"&constraintLanguage=CQL_TEXT&constraint={Uri.EscapeDataString("mi:modality = 'CT' AND dc:title LIKE '胸部%'")}");
        var one = Assert.Single(SearchResults(full).Elements());
        Assert.Equal("2.2.1", one.Element(Mi + "resourceCategory")!.Element(Mi + "categoryCode")!.Value);
        Assert.Equal("2024-05-01", one.Element(Mi + "studyDate")!.Value);
    }

    [Fact]
    public async Task Sorting_by_title_descending_is_the_reverse_of_ascending()
    {
        const string Query = "service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results&elementSetName=brief&sortBy=";
        var (_, ascending) = await GetAsync(_client, Query + "dc:title:A");
        var (_, descending) = await GetAsync(_client, Query + "dc:title:D");
        Assert.Equal(4, Titles(ascending).Count);
        Assert.Equal(Titles(ascending).Reverse(), Titles(descending));
        Assert.NotEqual(Titles(ascending), Titles(descending));
    }

    [Fact]
    public async Task Every_queryable_the_capabilities_list_takes_every_comparison_and_answers_records_or_an_exception_report_never_a_500()
    {
        var (_, capabilities) = await GetAsync(_client, "service=CSW&request=GetCapabilities");
        var queryables = capabilities.Descendants(Ows + "Constraint")
            .Where(c => (string?)c.Attribute("name") is "SupportedDublinCoreQueryables" or "AdditionalQueryables")
            .SelectMany(c => c.Elements(Ows + "Value")).Select(v => v.Value).ToList();
        Assert.True(queryables.Count >= 15, string.Join(", ", queryables));
        string[] operators = ["PropertyIsEqualTo", "PropertyIsNotEqualTo", "PropertyIsLessThan", "PropertyIsGreaterThan", "PropertyIsLessThanOrEqualTo", "PropertyIsGreaterThanOrEqualTo"];
        var answered = 0;
        foreach (var q in queryables)
        {
            var filters = operators.Select(op => $"<ogc:{op}><ogc:PropertyName>{q}</ogc:PropertyName><ogc:Literal>2024-05-01</ogc:Literal></ogc:{op}>")
                .Append($"<ogc:PropertyIsLike wildCard=\"*\" singleChar=\"?\" escapeChar=\"!\"><ogc:PropertyName>{q}</ogc:PropertyName><ogc:Literal>*2024*</ogc:Literal></ogc:PropertyIsLike>")
                .Append($"<ogc:PropertyIsNull><ogc:PropertyName>{q}</ogc:PropertyName></ogc:PropertyIsNull>")
                .Append($"<ogc:PropertyIsBetween><ogc:PropertyName>{q}</ogc:PropertyName><ogc:LowerBoundary><ogc:Literal>2024-01-01</ogc:Literal></ogc:LowerBoundary><ogc:UpperBoundary><ogc:Literal>2024-12-31</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween>");
            foreach (var f in filters)
            {
                // Under Or as well, where csw:AnyText cannot go to the text engine.
                foreach (var filter in new[] { f, $"<ogc:Or>{f}<ogc:PropertyIsNull><ogc:PropertyName>dc:title</ogc:PropertyName></ogc:PropertyIsNull></ogc:Or>" })
                {
                    var (status, xml) = await PostAsync(_client, GetRecords($"<ogc:Filter>{filter}</ogc:Filter>", maxRecords: 5));
                    Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)status} for {filter}: {xml}");
                    if (status == HttpStatusCode.OK) { SearchResults(xml); answered++; }
                    else AssertException(xml, "InvalidParameterValue", "Constraint");
                }
            }
        }
        Assert.True(answered > queryables.Count * 10, $"{answered} answered");
    }

    [Fact]
    public async Task ElementName_answers_full_records_cut_to_the_named_elements()
    {
        var (status, xml) = await GetAsync(_client, "service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results&elementName=dc:title,dct:abstract" +
            $"&constraintLanguage=CQL_TEXT&constraint={Uri.EscapeDataString("mi:modality = 'MR'")}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(SearchResults(xml).Attribute("elementSet"));
        var records = SearchResults(xml).Elements().ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal([Dc + "title", Dct + "abstract"], r.Elements().Select(e => e.Name)));
    }

    [Fact]
    public async Task A_caller_reaching_the_host_through_the_gateway_gets_operation_URLs_of_the_gateway()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/csw?service=CSW&request=GetCapabilities");
        request.Headers.Add("X-Forwarded-Prefix", "/api/directory");
        request.Headers.Add("X-Forwarded-Host", "catalogue.hebei.example:8443");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await _client.SendAsync(request);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        var hrefs = xml.Descendants(Ows + "DCP").Descendants().Select(e => (string?)e.Attribute(XName.Get("href", "http://www.w3.org/1999/xlink"))).OfType<string>().Distinct().ToList();
        Assert.Equal(["https://catalogue.hebei.example:8443/api/directory/csw"], hrefs);
    }
}
