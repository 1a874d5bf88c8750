using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Tests;

public sealed class ClassificationTests(MetadataFixture fx) : IClassFixture<MetadataFixture>
{
    [Fact]
    public async Task SeededSchemeHasTheImagingUnitsAsCategoriesWithBodyRegionsAndExaminationTypes()
    {
        var scheme = (await fx.Reader.GetFromJsonAsync<JsonObject>("/classification"))!;
        var categories = scheme["categories"]!.AsArray().Select(c => c!.AsObject()).ToList();

        Assert.Equal(["常规放射学", "CT", "磁共振成像", "介入性放射学", "超声", "核医学/PET", "病理", "人工智能衍生结果"], categories.Select(c => c["nameZh"]!.GetValue<string>()));
        var ct = categories[1];
        Assert.Equal("类目", ct["levelZh"]!.GetValue<string>());
        var chest = ct["children"]!.AsArray().Single(c => c!["nameZh"]!.GetValue<string>() == "胸部")!;
        Assert.Equal("亚目", chest["levelZh"]!.GetValue<string>());
        Assert.Equal("2.2", chest["fullCode"]!.GetValue<string>());
        var enhanced = chest["children"]!.AsArray().Single(c => c!["fullCode"]!.GetValue<string>() == "2.2.2")!;
        Assert.Equal(("细目", "增强扫描", "Contrast-enhanced scan"), (enhanced["levelZh"]!.GetValue<string>(), enhanced["nameZh"]!.GetValue<string>(), enhanced["nameEn"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("CT", "CHEST", "胸部CT增强", "2.2.2")]
    [InlineData("MR", "HEAD", "头颅MRA", "3.1.3")]
    [InlineData("CT", "UNKNOWNPART", "whatever", "2")]
    [InlineData("DX", "CHEST", "胸部正位", "1.2.1")] // radiography is what a DX acquires
    [InlineData("RF", "ABDOMEN", "上消化道", "1.3.2")]
    public async Task DicomAttributesMapToTheDeepestMatchingNode(string modality, string bodyPart, string description, string expected)
    {
        var response = await fx.Reader.PostAsJsonAsync("/classification/classify", new { modality, bodyPartExamined = bodyPart, studyDescription = description });
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(expected, result["fullCode"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("CT", "CHEST", "CT CHEST", false, null, "2.2.1")]           // no Contrast/Bolus Agent recorded: plain scan
    [InlineData("CT", "CHEST", "CT CHEST", true, null, "2.2.2")]            // a contrast agent: enhanced
    [InlineData("CT", "CHEST", "CT CHEST", null, null, "2.2")]              // not known either way: the 细目 is not told
    [InlineData("CT", "CHEST", "CT CHEST", true, "CTA 0.6 Bv36", "2.2.3")]  // a series says angiography
    [InlineData("MR", "HEAD", "头颅平扫", true, null, "3.1.1")]              // the description is the modality's own word
    [InlineData("CR", "CHEST", "胸部增强", true, null, "1.2.3")]             // 增强 is a CT/MR word; contrast in radiography is 造影检查
    [InlineData("US", "ABDOMEN", "腹部超声", false, null, "5.3")]            // 二维 or 多普勒: the DICOM does not say
    [InlineData("XA", "HEART", "冠脉造影", true, null, "4.7.1")]
    public async Task TheDetailFollowsContrastSeriesAndModalityWithinTheCategory(string modality, string bodyPart, string description, bool? contrast,
        string? series, string expected)
    {
        var response = await fx.Reader.PostAsJsonAsync("/classification/classify", new
        {
            modality, bodyPartExamined = bodyPart, studyDescription = description, contrastBolusAgent = contrast,
            seriesDescriptions = series is null ? Array.Empty<string>() : [series],
        });
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(expected, result["fullCode"]!.GetValue<string>());
        Assert.Equal(expected.Split('.').Length, result["matchedRules"]!.AsArray().Count);
    }

    [Fact]
    public async Task EditedMappingAndNewNodeChangeClassificationAndRaiseTheRevision()
    {
        var before = (await fx.Reader.GetFromJsonAsync<JsonObject>("/classification"))!["revision"]!.GetValue<int>();
        var added = await fx.Admin.PostAsJsonAsync("/classification/nodes", new { parentCode = "2.3", code = "5", nameZh = "能谱成像", nameEn = "Spectral CT", reason = "new protocol", source = "影像科" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        (await fx.Admin.PutAsJsonAsync("/classification/dicom-mapping", new { attribute = "StudyDescription", value = "能谱", code = "5", reason = "map spectral" })).EnsureSuccessStatusCode();

        var result = (await (await fx.Reader.PostAsJsonAsync("/classification/classify", new { modality = "CT", bodyPartExamined = "ABDOMEN", studyDescription = "腹部能谱CT" })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("2.3.5", result["fullCode"]!.GetValue<string>());
        Assert.Equal(before + 2, (await fx.Reader.GetFromJsonAsync<JsonObject>("/classification"))!["revision"]!.GetValue<int>());
    }

    [Fact]
    public async Task EveryRevisionOfTheSchemeCanBeReadAsItStood()
    {
        // The class shares one node: work on a node of this test's own so the seeded scheme stays as seeded.
        (await fx.Admin.PostAsJsonAsync("/classification/nodes", new { parentCode = "3", code = "88", nameZh = "测试部位", nameEn = "Test region", reason = "test" })).EnsureSuccessStatusCode();
        var before = (await fx.Reader.GetFromJsonAsync<JsonObject>("/classification"))!["revision"]!.GetValue<int>();
        (await fx.Admin.PatchAsJsonAsync("/classification/nodes/3.88", new { nameZh = "测试部位（更名）", reason = "rename for the test" })).EnsureSuccessStatusCode();
        var after = before + 1;

        var old = (await fx.Reader.GetFromJsonAsync<JsonObject>($"/classification/revisions/{before}"))!;
        var current = (await fx.Reader.GetFromJsonAsync<JsonObject>($"/classification/revisions/{after}"))!;
        string NameOf(JsonObject snapshot) => snapshot["nodes"]!.AsArray().Single(n => n!["fullCode"]!.GetValue<string>() == "3.88")!["nameZh"]!.GetValue<string>();
        Assert.Equal("测试部位", NameOf(old));
        Assert.Equal("测试部位（更名）", NameOf(current));
        Assert.NotEmpty(current["mapping"]!.AsArray());

        var history = (await fx.Reader.GetFromJsonAsync<JsonObject>("/classification/revisions?pageSize=500"))!["items"]!.AsArray();
        Assert.Equal(1, history[0]!["revision"]!.GetValue<int>());
        Assert.Equal("node-renamed", history.Single(r => r!["revision"]!.GetValue<int>() == after)!["changeKind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await fx.Reader.GetAsync($"/classification/revisions/{after + 100}")).StatusCode);
    }

    [Fact]
    public async Task ReaderCannotEditTheScheme()
    {
        var response = await fx.Reader.PostAsJsonAsync("/classification/nodes", new { parentCode = "2.3", code = "9", nameZh = "x", nameEn = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task MappingToACodeNotInTheSchemeIsRejectedNamingTheField()
    {
        var response = await fx.Admin.PutAsJsonAsync("/classification/dicom-mapping", new { attribute = "Modality", value = "OCT", code = "42" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("42", problem["errors"]!["code"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
