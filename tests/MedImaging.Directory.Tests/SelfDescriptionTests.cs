using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Tests;

/// <summary>
/// 服务自描述 (§4.10 基础接口): the operations, formats, element sets and limits, and the queryable elements of the active
/// metadata sets with their Chinese and English names — learnt from the Metadata service's activation events, whether it
/// published them when seeding, when an administrator activated a version, or when it announced them again.
/// </summary>
public sealed class SelfDescriptionTests(MetadataBackedNode fx) : IClassFixture<MetadataBackedNode>
{
    private static JsonObject? Set(JsonObject description, string code) =>
        description["metadataSets"]!.AsArray().Select(s => s!.AsObject()).FirstOrDefault(s => s["code"].Str() == code);

    private static JsonObject Element(JsonObject set, string id) => set["elements"]!.AsArray().Select(e => e!.AsObject()).Single(e => e["elementId"].Str() == id);

    [Fact]
    public async Task The_description_lists_operations_formats_element_sets_limits_and_each_active_sets_elements_in_chinese_and_english()
    {
        var d = (await fx.Node.Anonymous().GetFromJsonAsync<JsonObject>("/description"))!;

        var operations = d["interfaces"]!.AsArray().SelectMany(i => i!["operations"]!.AsArray()).ToDictionary(o => o!["name"].Str(), o => o!["path"].Str());
        Assert.Equal("/sessions", operations["InitializeSession"]);
        Assert.Equal("/sessions/{id}", operations["TerminateSession"]);
        Assert.Equal("/description", operations["DescribeService"]);
        Assert.Equal("/sessions/{id}/searches", operations["Search"]);
        Assert.StartsWith("/sessions/{id}/result-sets/{resultSetId}?position=", operations["RetrieveResults"], StringComparison.Ordinal);
        Assert.StartsWith("/records/{identifier}", operations["GetRecord"], StringComparison.Ordinal);
        Assert.Equal(["基础接口", "发现接口"], d["interfaces"]!.AsArray().Select(i => i!["nameZh"].Str()));
        Assert.Equal(["json", "xml"], d["outputFormats"]!.AsArray().Select(f => f!["name"].Str()));
        Assert.Equal(["brief", "summary", "full"], d["elementSets"]!.AsArray().Select(s => s!["name"].Str()));
        Assert.Contains("resourceTitle", d["elementSets"]![0]!["elements"]!.AsArray().Select(e => e.Str()));
        Assert.DoesNotContain("abstract", d["elementSets"]![0]!["elements"]!.AsArray().Select(e => e.Str()));
        Assert.Equal(100, d["limits"]!["maxRecordsPerRetrieval"]!.GetValue<int>());
        Assert.Equal("PT30M", d["limits"]!["idleTimeout"].Str());

        var basic = Set(d, "basic-metadata")!;
        Assert.Equal("医学影像学信息基本元数据", basic["nameZh"].Str());
        var title = Element(basic, "resourceTitle");
        Assert.Equal(("医学影像学大数据与智能技术信息资源名称", "Resource Title"), (title["nameZh"].Str(), title["nameEn"].Str()));
        Assert.True(title["freeText"]!.GetValue<bool>());
        Assert.Null(title["filter"]);
        var code = Element(basic, "categoryCode");
        Assert.Equal("classifications", code["filter"].Str());
        Assert.Equal(("resourceCategory", "医学影像学大数据与智能技术信息资源分类"), (code["entity"]!["entityId"].Str(), code["entity"]!["nameZh"].Str()));
        var dicom = Set(d, "dicom-imaging")!;
        var modality = Element(dicom, "modality");
        Assert.Equal(("检查模态", "Modalities in Study", "Code", "modalities"), (modality["nameZh"].Str(), modality["nameEn"].Str(), modality["dataType"].Str(), modality["filter"].Str()));
        Assert.False(modality["freeText"]!.GetValue<bool>());
        Assert.Equal("urn:medimaging:metadata:dicom-imaging:1", dicom["namespace"].Str());
    }

    [Fact]
    public async Task A_version_an_administrator_activates_reaches_the_description_with_its_elements()
    {
        var admin = fx.MetadataAdmin;
        (await admin.PostAsJsonAsync("/sets", new { code = "research-dataset", nameZh = "科研数据集元数据", nameEn = "Research dataset metadata" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/sets/research-dataset/versions", new { changeNote = "first version" })).EnsureSuccessStatusCode();
        var put = await admin.PutAsJsonAsync("/sets/research-dataset/versions/1/elements/cohortSize", new
        {
            element = new { elementId = "cohortSize", nameZh = "队列规模", nameEn = "Cohort Size", definition = "纳入的受试者人数", dataType = "Integer", obligation = "Mandatory", maxOccurs = 1 },
        });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var activated = await admin.PostAsync("/sets/research-dataset/versions/1/activate", null);
        Assert.True(activated.IsSuccessStatusCode, await activated.Content.ReadAsStringAsync());

        await fx.UntilAsync("SELECT count(*) FROM directory.schema_versions WHERE set_code = 'research-dataset' AND jsonb_array_length(elements) = 1", 1);
        var set = Set((await fx.Node.Anonymous().GetFromJsonAsync<JsonObject>("/description"))!, "research-dataset")!;
        Assert.Equal(("科研数据集元数据", "Research dataset metadata"), (set["nameZh"].Str(), set["nameEn"].Str()));
        var cohort = Element(set, "cohortSize");
        Assert.Equal(("队列规模", "Cohort Size", "Integer"), (cohort["nameZh"].Str(), cohort["nameEn"].Str(), cohort["dataType"].Str()));
    }

    [Fact]
    public async Task A_version_recorded_without_its_elements_learns_them_from_the_announcement_when_the_directory_starts()
    {
        // As a version recorded by the previous release (its event had no elements) leaves the row.
        await fx.Node.ScalarAsync("UPDATE directory.schema_versions SET elements = '[]', entities = '[]', set_name_zh = NULL WHERE set_code = 'dicom-imaging'");
        Assert.Empty(Set((await fx.Node.Anonymous().GetFromJsonAsync<JsonObject>("/description"))!, "dicom-imaging")!["elements"]!.AsArray());

        // A directory host starting asks the Metadata service to announce its active versions again (ADR 0017).
        await using var restarted = new ServiceFactory<DirectoryServiceMarker>(fx.Node.Node);
        restarted.CreateClient().Dispose();

        await fx.UntilAsync("SELECT count(*) FROM directory.schema_versions WHERE set_code = 'dicom-imaging' AND jsonb_array_length(elements) > 20 AND set_name_zh IS NOT NULL", 1);
        var dicom = Set((await fx.Node.Anonymous().GetFromJsonAsync<JsonObject>("/description"))!, "dicom-imaging")!;
        Assert.Equal("医学影像学DICOM扩展元数据", dicom["nameZh"].Str());
        Assert.Contains("studyInstanceUid", dicom["elements"]!.AsArray().Select(e => e!["elementId"].Str()));
    }
}
