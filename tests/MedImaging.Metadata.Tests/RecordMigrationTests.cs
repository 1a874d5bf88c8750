using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Tests;

public sealed class RecordMigrationTests(MetadataFixture fx) : IClassFixture<MetadataFixture>
{
    [Fact]
    public async Task ANewVersionMigratesExistingRecordsAndReportsEachChange()
    {
        // Version 2 of the basic set: abstract renamed to summary, chargeSign removed, a new mandatory element with a default.
        var v2 = await fx.Admin.PostAsJsonAsync("/sets/basic-metadata/versions", new
        {
            changeNote = "rename abstract, drop chargeSign, add reviewStatus",
            source = "省平台元数据评审 2024-05",
            migration = new
            {
                renamed = new[] { new { from = "abstract", to = "summary" } },
                removed = new List<string> { "chargeSign" },
                added = new[] { new { elementId = "reviewStatus", nameZh = "审核状态", nameEn = "Review Status", dataType = "Code", obligation = "Mandatory", maxOccurs = 1,
                    domain = new { codes = new[] { new { code = "pending", nameZh = "待审核", nameEn = "Pending" }, new { code = "approved", nameZh = "已审核", nameEn = "Approved" } } } } },
                defaults = new { reviewStatus = "pending" },
            },
        });
        Assert.True(v2.IsSuccessStatusCode, await v2.Content.ReadAsStringAsync());

        var good = await fx.IssueAsync();
        var broken = await fx.IssueAsync();
        (await fx.Admin.PutAsJsonAsync($"/records/{good}", new { setCode = "basic-metadata", values = MetadataFixture.BasicRecord(good) })).EnsureSuccessStatusCode();
        (await fx.Admin.PutAsJsonAsync($"/records/{broken}", new { setCode = "basic-metadata", values = MetadataFixture.BasicRecord(broken) })).EnsureSuccessStatusCode();
        // The second identifier is withdrawn after its record was written: the record can no longer validate.
        (await fx.Admin.PostAsJsonAsync($"/identifiers/{broken}/withdraw", new { reason = "duplicate" })).EnsureSuccessStatusCode();

        (await fx.Admin.PostAsync("/sets/basic-metadata/versions/2/activate", null)).EnsureSuccessStatusCode();
        var response = await fx.Admin.PostAsJsonAsync("/sets/basic-metadata/versions/2/migrate-records", new { reason = "schema v2" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal((1, 1), (report["migrated"]!.GetValue<int>(), report["failed"]!.GetValue<int>()));
        var entry = report["records"]!.AsArray().Single(r => r!["resourceId"]!.GetValue<string>() == good)!;
        var changes = entry["changes"]!.AsArray().Select(c => (c!["kind"]!.GetValue<string>(), c["elementId"]!.GetValue<string>())).ToList();
        Assert.Equal([("renamed", "summary"), ("removed", "chargeSign"), ("defaulted", "reviewStatus")], changes);
        var failed = report["records"]!.AsArray().Single(r => r!["resourceId"]!.GetValue<string>() == broken)!;
        Assert.Equal("resourceId", failed["problems"]![0]!["elementId"]!.GetValue<string>());

        var migrated = (await fx.Reader.GetFromJsonAsync<JsonObject>($"/records/{good}"))!;
        Assert.Equal(2, migrated["version"]!.GetValue<int>());
        Assert.Equal("一例胸部增强CT检查", migrated["values"]!["summary"]!.GetValue<string>());
        Assert.Null(migrated["values"]!["chargeSign"]);
        Assert.Equal("pending", migrated["values"]!["reviewStatus"]!.GetValue<string>());
        Assert.Equal(1, (await fx.Reader.GetFromJsonAsync<JsonObject>($"/records/{broken}"))!["version"]!.GetValue<int>());

        var v2detail = (await fx.Reader.GetFromJsonAsync<JsonObject>("/sets/basic-metadata/versions/2"))!;
        Assert.Equal("省平台元数据评审 2024-05", v2detail["source"]!.GetValue<string>());
        Assert.Contains(v2detail["elements"]!.AsArray(), e => e!["elementId"]!.GetValue<string>() == "summary");
    }

    [Fact]
    public async Task AMigrationNamingAnUnknownElementIsRejectedAndCreatesNoVersion()
    {
        var response = await fx.Admin.PostAsJsonAsync("/sets/dicom-imaging/versions", new { changeNote = "bad", migration = new { removed = new List<string> { "noSuchElement" } } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("migration.removed.noSuchElement"));
        Assert.Single((await fx.Reader.GetFromJsonAsync<JsonObject>("/sets/dicom-imaging"))!["versions"]!.AsArray());
    }
}
