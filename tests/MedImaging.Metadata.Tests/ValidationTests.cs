using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Tests;

public sealed class ValidationTests(MetadataFixture fx) : IClassFixture<MetadataFixture>
{
    private async Task<JsonObject> ValidateAsync(JsonObject record, string set = "basic-metadata") =>
        (await (await fx.Reader.PostAsJsonAsync("/validation", new { setCode = set, version = 1, record })).Content.ReadFromJsonAsync<JsonObject>())!;

    private static List<JsonObject> Problems(JsonObject report) => [.. report["problems"]!.AsArray().Select(p => p!.AsObject())];

    [Fact]
    public async Task ACompleteRecordIsValid()
    {
        var report = await ValidateAsync(MetadataFixture.BasicRecord(await fx.IssueAsync()));
        Assert.True(report["valid"]!.GetValue<bool>(), report.ToJsonString());
    }

    [Fact]
    public async Task EachFailingElementIsOneProblemNamedByIdAndNames()
    {
        var record = MetadataFixture.BasicRecord(await fx.IssueAsync());
        record.Remove("abstract");                                            // mandatory, missing
        record["keyword"] = new JsonArray();                                  // mandatory, empty
        record["chargeSign"] = "no";                                          // wrong type
        record["securityClassification"] = "top-secret";                    // not in the code list
        record["resourceCategory"]![0]!["categoryCode"] = "2.2.77";           // not in the scheme
        record["pointOfContact"]!["zipCode"] = "5000";                        // outside the domain
        record["colour"] = "blue";                                            // unknown element

        var problems = Problems(await ValidateAsync(record));
        var byPath = problems.ToDictionary(p => p["path"]!.GetValue<string>(), p => (Kind: p["kind"]!.GetValue<string>(), Zh: p["nameZh"]!.GetValue<string>()));

        Assert.Equal(7, problems.Count);
        Assert.Equal(("missing", "医学影像学大数据与智能技术信息资源摘要"), byPath["abstract"]);
        Assert.Equal("missing", byPath["keyword"].Kind);
        Assert.Equal(("type", "医学影像学大数据与智能技术信息资源使用收费标识"), byPath["chargeSign"]);
        Assert.Equal("code", byPath["securityClassification"].Kind);
        Assert.Equal("code", byPath["resourceCategory[0].categoryCode"].Kind);
        Assert.Equal("domain", byPath["pointOfContact.zipCode"].Kind);
        Assert.Equal("unknown", byPath["colour"].Kind);
    }

    [Fact]
    public async Task MalformedAndForeignClassificationOidsFailConformance()
    {
        var record = MetadataFixture.BasicRecord($"{fx.OidRoot}.{fx.AdministrativeCode}.2.02.1.5");
        var problem = Assert.Single(Problems(await ValidateAsync(record)));
        Assert.Equal(("resourceId", "oid", "资源标识符"), (problem["elementId"]!.GetValue<string>(), problem["kind"]!.GetValue<string>(), problem["nameZh"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ConditionalElementIsRequiredWhenItsConditionHolds()
    {
        var record = MetadataFixture.BasicRecord(await fx.IssueAsync());
        record["pointOfContact"]!.AsObject().Remove("electronicMailAddress");
        var problem = Assert.Single(Problems(await ValidateAsync(record)));
        Assert.Equal("pointOfContact.contactNumber", problem["path"]!.GetValue<string>());
        Assert.Contains("条件必选", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OccurrencesBeyondTheMaximumAreReported()
    {
        var record = MetadataFixture.BasicRecord(await fx.IssueAsync());
        record["resourceTitle"] = new JsonArray("a", "b");
        var problem = Assert.Single(Problems(await ValidateAsync(record)));
        Assert.Equal(("resourceTitle", "occurrences"), (problem["elementId"]!.GetValue<string>(), problem["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task StoringAnInvalidRecordAnswersProblemDetailsNamingTheElementsAndWritesNothing()
    {
        var oid = await fx.IssueAsync();
        var record = MetadataFixture.BasicRecord(oid);
        record["chargeSign"] = 1;
        record["mystery"] = true;

        var response = await fx.Admin.PutAsJsonAsync($"/records/{oid}", new { setCode = "basic-metadata", values = record, reason = "ingest" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("医学影像学大数据与智能技术信息资源使用收费标识", errors["chargeSign"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(errors.ContainsKey("mystery"));
        Assert.Equal(HttpStatusCode.NotFound, (await fx.Reader.GetAsync($"/records/{oid}")).StatusCode);
        Assert.Equal(0, await fx.ScalarAsync($"SELECT count(*) FROM metadata.metadata_records WHERE resource_id = '{oid}'"));
    }

    [Fact]
    public async Task DicomRecordIsCheckedAgainstExtensionTypes()
    {
        var record = MetadataFixture.BasicRecord(await fx.IssueAsync());
        record["modality"] = new JsonArray("CT");
        record["studyDate"] = "20240301";           // DICOM DA, not ISO
        record["studyInstanceUid"] = "1.2.840.113619.2.55.3";
        record["numberOfSeries"] = 3;
        record["numberOfInstances"] = 2.5;          // not an integer

        var problems = Problems(await ValidateAsync(record, "dicom-imaging"));
        Assert.Equal(["numberOfInstances", "studyDate"], problems.Select(p => p["elementId"]!.GetValue<string>()).Order());
    }
}
