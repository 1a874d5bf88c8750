using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Tests;

/// <summary>Edits to a derived draft keep its stated migration in step, so records migrate to what the draft holds.</summary>
public sealed class DraftMigrationTests(MetadataFixture fx) : IClassFixture<MetadataFixture>
{
    [Fact]
    public async Task ElementsAddedOrRemovedInADerivedDraftJoinItsMigration()
    {
        var created = await fx.Admin.PostAsJsonAsync("/sets/dicom-imaging/versions", new { changeNote = "station name instead of manufacturer", basedOn = 1 });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        (await fx.Admin.DeleteAsync("/sets/dicom-imaging/versions/2/elements/manufacturer?reason=not%20used")).EnsureSuccessStatusCode();
        var put = await fx.Admin.PutAsJsonAsync("/sets/dicom-imaging/versions/2/elements/stationName", new
        {
            element = new { elementId = "stationName", nameZh = "设备名称", nameEn = "Station Name", definition = "采集设备的站点名称", dataType = "String", obligation = "Optional", maxOccurs = 1, dicomTag = "(0008,1010)" },
            reason = "stations are how hospitals name their scanners",
        });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        // Added, then removed again in the same draft: it must leave no trace in the migration.
        (await fx.Admin.PutAsJsonAsync("/sets/dicom-imaging/versions/2/elements/tmpElement", new
        {
            element = new { elementId = "tmpElement", nameZh = "临时", nameEn = "Temporary", definition = "x", dataType = "String", obligation = "Optional", maxOccurs = 1 },
        })).EnsureSuccessStatusCode();
        (await fx.Admin.DeleteAsync("/sets/dicom-imaging/versions/2/elements/tmpElement")).EnsureSuccessStatusCode();

        var migration = (await fx.Reader.GetFromJsonAsync<JsonObject>("/sets/dicom-imaging/versions/2"))!["migration"]!;
        Assert.Equal(["manufacturer"], migration["removed"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["stationName"], migration["added"]!.AsArray().Select(a => a!["elementId"]!.GetValue<string>()));
    }
}
