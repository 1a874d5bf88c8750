using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Tests;

public sealed class MetadataSetTests(MetadataFixture fx) : IClassFixture<MetadataFixture>
{
    [Fact]
    public async Task SeededBasicSetHoldsTheTwentyItemsOfSection472WithTheStandardsNames()
    {
        var v = (await fx.Reader.GetFromJsonAsync<JsonObject>("/sets/basic-metadata/versions/1"))!;
        var elements = v["elements"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var entities = v["entities"]!.AsArray().Select(e => e!.AsObject()).ToList();

        Assert.Equal("Active", v["status"]!.GetValue<string>());
        Assert.Equal(20, elements.Count + entities.Count);
        var byClause = elements.Concat(entities).ToDictionary(e => e["clause"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"4.7.2.{i}"), byClause.Keys.OrderBy(k => int.Parse(k[6..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("资源标识符", byClause["4.7.2.1"]["nameZh"]!.GetValue<string>());
        Assert.Equal("Resource ID", byClause["4.7.2.1"]["nameEn"]!.GetValue<string>());
        Assert.Equal("医学影像学大数据与智能技术信息资源分类（元数据实体）".Replace("（元数据实体）", "", StringComparison.Ordinal), byClause["4.7.2.3"]["nameZh"]!.GetValue<string>());
        Assert.Equal("医学影像学大数据与智能技术信息资源负责方联系电话", byClause["4.7.2.14"]["nameZh"]!.GetValue<string>());
        Assert.Equal("医学影像学大数据与智能技术信息资源使用收费标识", byClause["4.7.2.20"]["nameZh"]!.GetValue<string>());
        Assert.Equal("Point Of Contact", byClause["4.7.2.10"]["nameEn"]!.GetValue<string>());
        // Every open choice (type, domain, constraint, occurrences) is recorded in the remarks.
        Assert.All(elements, e => Assert.Contains("约束", e["remarks"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(entities, e => Assert.Contains("约束", e["remarks"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal("Conditional", byClause["4.7.2.14"]["obligation"]!.GetValue<string>());
    }

    [Fact]
    public async Task TreeViewGroupsElementsUnderTheirEntitiesInTheStandardsOrder()
    {
        var tree = (await fx.Reader.GetFromJsonAsync<JsonObject>("/sets/basic-metadata/tree"))!;
        var children = tree["children"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();

        Assert.Equal("set", tree["kind"]!.GetValue<string>());
        Assert.Equal(["resourceId", "resourceTitle", "resourceCategory", "keyword", "abstract", "pointOfContact", "dataFormat", "securityClassification", "onlineResourceLink", "chargeSign"], children);
        var poc = tree["children"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == "pointOfContact")!;
        Assert.Equal(["organizationName", "organizationCode", "electronicMailAddress", "contactNumber", "contactAddress", "zipCode"],
            poc["children"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DicomExtensionSetMapsEachDicomElementToItsTag()
    {
        var v = (await fx.Reader.GetFromJsonAsync<JsonObject>("/sets/dicom-imaging/versions/1"))!;
        var tags = v["elements"]!.AsArray().Where(e => e!["dicomTag"] is not null).ToDictionary(e => e!["elementId"]!.GetValue<string>(), e => e!["dicomTag"]!.GetValue<string>());

        Assert.Equal("(0008,0061)", tags["modality"]);
        Assert.Equal("(0018,0015)", tags["bodyPartExamined"]);
        Assert.Equal("(0008,0020)", tags["studyDate"]);
        Assert.Equal("(0020,000D)", tags["studyInstanceUid"]);
        Assert.Equal("(0008,0050)", tags["accessionNumberPseudonym"]);
        Assert.Equal("(0020,1208)", tags["numberOfInstances"]);
        Assert.Contains(v["elements"]!.AsArray(), e => e!["elementId"]!.GetValue<string>() == "resourceId"); // carries the basic elements
    }

    [Fact]
    public async Task DraftElementsAreEditableWithProvenanceAndActiveVersionsAreFrozen()
    {
        (await fx.Admin.PostAsJsonAsync("/sets", new { code = "lifecycle", nameZh = "生命周期", nameEn = "Lifecycle" })).EnsureSuccessStatusCode();
        (await fx.Admin.PostAsJsonAsync("/sets/lifecycle/versions", new { changeNote = "first draft", source = "ticket MI-12" })).EnsureSuccessStatusCode();
        var put = await fx.Admin.PutAsJsonAsync("/sets/lifecycle/versions/1/elements/scanner", new
        {
            element = new { nameZh = "扫描设备", nameEn = "Scanner", definition = "设备型号", dataType = "String", obligation = "Mandatory", maxOccurs = 1, remarks = "字符型" },
            reason = "radiology asked for it", source = "ticket MI-12",
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        (await fx.Admin.PostAsync("/sets/lifecycle/versions/1/activate", null)).EnsureSuccessStatusCode();

        var frozen = await fx.Admin.PutAsJsonAsync("/sets/lifecycle/versions/1/elements/scanner", new { element = new { nameZh = "x", nameEn = "x" }, reason = "late" });
        Assert.Equal(HttpStatusCode.Conflict, frozen.StatusCode);

        var log = (await fx.Reader.GetFromJsonAsync<JsonObject>("/provenance?subject=set:lifecycle&pageSize=500"))!["items"]!.AsArray();
        var added = log.Single(p => p!["action"]!.GetValue<string>() == "element-added")!;
        Assert.Equal("meta-admin", added["by"]!.GetValue<string>());
        Assert.Equal("radiology asked for it", added["why"]!.GetValue<string>());
        Assert.Equal("ticket MI-12", added["source"]!.GetValue<string>());
        Assert.Contains(log, p => p!["action"]!.GetValue<string>() == "activated");
        Assert.Equal(1, await fx.ScalarAsync("SELECT count(*) FROM metadata.outbox_messages WHERE message_type LIKE '%MetadataSetVersionActivated' AND body->>'setCode' = 'lifecycle'"));
    }

    [Fact]
    public async Task ActivatingANewVersionDeprecatesThePreviousOne()
    {
        (await fx.Admin.PostAsJsonAsync("/sets", new { code = "states", nameZh = "状态", nameEn = "States" })).EnsureSuccessStatusCode();
        (await fx.Admin.PostAsJsonAsync("/sets/states/versions", new { changeNote = "v1" })).EnsureSuccessStatusCode();
        (await fx.Admin.PostAsync("/sets/states/versions/1/activate", null)).EnsureSuccessStatusCode();
        (await fx.Admin.PostAsJsonAsync("/sets/states/versions", new { changeNote = "v2" })).EnsureSuccessStatusCode();
        (await fx.Admin.PostAsync("/sets/states/versions/2/activate", null)).EnsureSuccessStatusCode();

        var set = (await fx.Reader.GetFromJsonAsync<JsonObject>("/sets/states"))!;
        Assert.Equal(["Deprecated", "Active"], set["versions"]!.AsArray().Select(v => v!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ElementWithUnknownEntityIsRejectedNamingTheElement()
    {
        (await fx.Admin.PostAsJsonAsync("/sets", new { code = "badelement", nameZh = "坏", nameEn = "Bad" })).EnsureSuccessStatusCode();
        (await fx.Admin.PostAsJsonAsync("/sets/badelement/versions", new { changeNote = "v1" })).EnsureSuccessStatusCode();
        var response = await fx.Admin.PutAsJsonAsync("/sets/badelement/versions/1/elements/orphan",
            new { element = new { nameZh = "孤儿", nameEn = "Orphan", entityId = "nowhere", dataType = "String" }, reason = "test" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("nowhere", problem["errors"]!["orphan"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await fx.ScalarAsync("SELECT count(*) FROM metadata.metadata_elements WHERE element_id = 'orphan'"));
    }
}
