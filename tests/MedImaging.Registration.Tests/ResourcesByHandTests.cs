using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>Resources that are not DICOM (§4.8.2 a): databases, documents, research datasets catalogued by hand.</summary>
public sealed class ResourcesByHandTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private HttpClient Cataloguer => node.Client("cat-2", Roles.Cataloguer);

    private static Dictionary<string, string> Dataset() => new()
    {
        ["resourceTitle"] = "河北省肺结节低剂量CT筛查研究数据集 (2021–2023)",
        ["categoryCode"] = "2.2.1",
        ["keyword"] = "肺结节;低剂量CT;筛查",
        ["abstract"] = "三家医院低剂量胸部CT筛查的去标识化体数据与结节标注，供肺结节检出模型训练与评估。",
        ["dataFormat"] = "NIfTI;CSV",
        ["onlineResourceLink"] = "https://data.example.cn/datasets/lung-ldct-2023",
    };

    [Fact]
    public async Task ADatasetCataloguedByHandPassesTheChecksAndRegistersWithAnIdentifier()
    {
        var response = await Cataloguer.PostAsJsonAsync("/resources", new { kind = "dataset", values = Dataset(), institution = "121300004017055782" });
        var entry = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, entry.ToJsonString());
        var values = entry["values"]!.AsArray().ToDictionary(v => v!["element"]!.ToString(), v => v!);

        Assert.Equal("catalogued", entry["state"]!.ToString());
        Assert.Equal("dataset", entry["kind"]!.ToString());
        Assert.Null(entry["studyId"]);
        Assert.Equal("河北医科大学第二医院", values["organizationName"]!["value"]!.ToString()); // from deploy/tiers/hebei.json
        Assert.Equal("restricted", values["securityClassification"]!["value"]!.ToString());
        Assert.Contains("SecurityRules:0", values["securityClassification"]!["rule"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("manual", values["resourceTitle"]!["source"]!.ToString());
        Assert.Equal("CT / 胸部 / 平扫", values["categoryName"]!["value"]!.ToString());
        Assert.StartsWith("basic-metadata v", entry["checkedAgainst"]!.ToString(), StringComparison.Ordinal);

        var registered = await Cataloguer.PostAsJsonAsync($"/resources/{entry["id"]}/register", new { });
        var after = JsonNode.Parse(await registered.Content.ReadAsStringAsync())!;
        Assert.True(registered.StatusCode == HttpStatusCode.OK, after.ToJsonString());
        Assert.Contains(".2.2.1.", after["resourceIdentifier"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadValuesAreA422NamingEachElementAndNothingIsStored()
    {
        var values = Dataset();
        values["dataFormat"] = "XLSX";
        values["zipCode"] = "05000";
        values["patientCount"] = "1200";
        values.Remove("abstract");
        var before = await node.CountAsync("SELECT count(*) FROM registration.resources");

        var response = await Cataloguer.PostAsJsonAsync("/resources", new { kind = "dataset", values });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.False(string.IsNullOrEmpty(problem["correlationId"]?.ToString()));
        var byElement = problem["problems"]!.AsArray().ToDictionary(p => p!["elementId"]!.ToString(), p => p!["kind"]!.ToString());
        Assert.Equal("code", byElement["dataFormat"]);
        Assert.Equal("domain", byElement["zipCode"]);
        Assert.Equal("unknown", byElement["patientCount"]);
        Assert.Equal("missing", byElement["abstract"]);
        Assert.DoesNotContain("resourceId", byElement.Keys); // issued at registration, never asked for
        Assert.Equal(before, await node.CountAsync("SELECT count(*) FROM registration.resources"));
    }

    [Fact]
    public async Task WhatIsNotMetadataIsA400NamingTheField()
    {
        async Task<JsonNode> Bad(object body)
        {
            var response = await Cataloguer.PostAsJsonAsync("/resources", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }

        Assert.NotNull((await Bad(new { values = Dataset() }))["errors"]!["kind"]);
        Assert.NotNull((await Bad(new { kind = "imagingStudy", values = Dataset() }))["errors"]!["kind"]);
        Assert.NotNull((await Bad(new { kind = "document", values = new Dictionary<string, string>(Dataset()) { ["resourceId"] = "2.16.156.1" } }))["errors"]!["values.resourceId"]);
        Assert.NotNull((await Bad(new { kind = "document", values = Dataset(), institution = "nowhere" }))["errors"]!["institution"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await node.Client("rev-2", Roles.Reviewer).PostAsJsonAsync("/resources", new { kind = "dataset", values = Dataset() })).StatusCode);
    }
}
