using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Tests;

public sealed class ExportTests(MetadataFixture fx) : IClassFixture<MetadataFixture>
{
    [Fact]
    public async Task ExportedXmlRecordValidatesAgainstTheExportedXsdWithXmllint()
    {
        var oid = await fx.IssueAsync();
        var values = MetadataFixture.BasicRecord(oid);
        values["modality"] = new JsonArray("CT", "PT");
        values["studyDate"] = "2024-03-01";
        values["studyInstanceUid"] = "1.2.840.113619.2.55.3";
        values["numberOfSeries"] = 3;
        values["numberOfInstances"] = 420;
        values["onlineResourceLink"] = new JsonArray("https://pacs.example.org/dicomweb/studies/1.2.840.113619.2.55.3");
        (await fx.Admin.PutAsJsonAsync($"/records/{oid}", new { setCode = "dicom-imaging", values, reason = "export test" })).EnsureSuccessStatusCode();

        var dir = Directory.CreateTempSubdirectory("medcat-xsd-").FullName;
        var xsd = Path.Combine(dir, "schema.xsd");
        var xml = Path.Combine(dir, "record.xml");
        await File.WriteAllTextAsync(xsd, await fx.Reader.GetStringAsync("/sets/dicom-imaging/versions/1/schema.xsd"));
        await File.WriteAllTextAsync(xml, await fx.Reader.GetStringAsync($"/records/{oid}/xml"));

        var (code, output) = await XmllintAsync(xsd, xml);
        Assert.True(code == 0, output);
        Assert.Contains("validates", output, StringComparison.Ordinal);

        // The validator is real: the same record with a value outside the code list fails against the same XSD.
        await File.WriteAllTextAsync(xml, (await File.ReadAllTextAsync(xml)).Replace(">internal<", ">top-secret<", StringComparison.Ordinal));
        var (badCode, badOutput) = await XmllintAsync(xsd, xml);
        Assert.NotEqual(0, badCode);
        Assert.Contains("securityClassification", badOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonSchemaStatesMandatoryElementsCodeListsAndConditions()
    {
        var schema = JsonNode.Parse(await fx.Reader.GetStringAsync("/sets/basic-metadata/versions/1/schema.json"))!.AsObject();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.Contains("resourceId", schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.DoesNotContain("onlineResourceLink", schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("资源标识符", schema["properties"]!["resourceId"]!["title"]!.GetValue<string>());
        Assert.Equal(["public", "internal", "restricted", "confidential"], schema["properties"]!["securityClassification"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>()));
        var poc = schema["properties"]!["pointOfContact"]!;
        Assert.Equal("contactNumber", poc["allOf"]![0]!["then"]!["required"]![0]!.GetValue<string>());
        Assert.Equal("array", schema["properties"]!["keyword"]!["type"]!.GetValue<string>());
        Assert.Equal(JsonValueKind(false), poc["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DataDictionaryListsEveryElementWithItsAttributes()
    {
        var md = await fx.Reader.GetStringAsync("/sets/dicom-imaging/versions/1/dictionary.md");
        Assert.Contains("| 标识 | 中文名称 | 英文名称 | 定义 | 数据类型 | 值域 | 约束/条件 | 最大出现次数 | DICOM | 备注 |", md, StringComparison.Ordinal);
        Assert.Contains("| resourceId | 资源标识符 | Resource ID |", md, StringComparison.Ordinal);
        Assert.Contains("| ↳ contactNumber |", md, StringComparison.Ordinal);
        Assert.Contains("(0020,000D)", md, StringComparison.Ordinal);
        Assert.Contains("条件必选 (mandatory when 'electronicMailAddress' is absent)", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordReadsBackAsJson()
    {
        var oid = await fx.IssueAsync();
        (await fx.Admin.PutAsJsonAsync($"/records/{oid}", new { setCode = "basic-metadata", values = MetadataFixture.BasicRecord(oid) })).EnsureSuccessStatusCode();
        var record = (await fx.Reader.GetFromJsonAsync<JsonObject>($"/records/{oid}"))!;
        Assert.Equal(("basic-metadata", 1), (record["setCode"]!.GetValue<string>(), record["version"]!.GetValue<int>()));
        Assert.Equal("河北医科大学第二医院", record["values"]!["pointOfContact"]!["organizationName"]!.GetValue<string>());
    }

    private static bool JsonValueKind(bool value) => value;

    private static async Task<(int Code, string Output)> XmllintAsync(string xsd, string xml)
    {
        using var process = Process.Start(new ProcessStartInfo("xmllint", ["--noout", "--schema", xsd, xml]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
