using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Registration.Tests;

/// <summary>
/// The classification scheme changes in the real Metadata service; its ClassificationSchemeChanged reaches Registration
/// over the node's broker, and entries follow (ADR 0009): automatic classifications are re-derived with their rule, a
/// cataloguer's are kept, and what cannot change is recorded as a problem on the entry.
/// </summary>
public sealed class ReclassificationTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private HttpClient Cataloguer => node.Client("cat-1", Roles.Cataloguer);
    private HttpClient MetadataAdmin => node.Metadata.CreateClient().WithToken(TestTokens.Create(node.Node, "meta-admin", Roles.Admin));

    private Task<Guid> IngestAsync(string file) => node.IngestEntryAsync(file);

    private static async Task<(HttpStatusCode Status, JsonNode Body)> Act(HttpClient client, Guid id, string verb, object? body = null)
    {
        var response = await client.PostAsync($"/resources/{id}/{verb}", JsonContent.Create(body ?? new { }));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<JsonNode> GetAsync(Guid id) => JsonNode.Parse(await Cataloguer.GetStringAsync($"/resources/{id}"))!;

    private static JsonNode Value(JsonNode entry, string element)
        => entry["values"]!.AsArray().Single(v => v!["element"]!.ToString() == element)!;

    private static IEnumerable<JsonNode> Problems(JsonNode entry, string element)
        => entry["problems"]!.AsArray().Where(p => p!["elementId"]!.ToString() == element && p["kind"]!.ToString() == "reclassification").Select(p => p!);

    /// <summary>The entry once the consumer has brought it to <paramref name="done"/>, within 60 s.</summary>
    private async Task<JsonNode> WaitForAsync(Guid id, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var entry = await GetAsync(id);
            if (done(entry)) return entry;
            Assert.True(DateTime.UtcNow < deadline, $"the entry did not follow the scheme change: {entry.ToJsonString()}");
            await Task.Delay(250);
        }
    }

    private async Task ChangeSchemeAsync(HttpMethod method, string path, object body)
    {
        var response = await MetadataAdmin.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AMappingChangeReDerivesAutomaticClassificationsAndKeepsTheCataloguersWhoseWithdrawnCodeBecomesAProblem()
    {
        var auto = await IngestAsync("MR_small.dcm");
        Assert.Equal(HttpStatusCode.OK, (await Act(Cataloguer, auto, "catalogue")).Status);
        Assert.StartsWith("3", Value(await GetAsync(auto), "categoryCode")["value"]!.ToString(), StringComparison.Ordinal); // Modality=MR→3
        var byHand = await IngestAsync("charset_files/chrX1.dcm");
        Assert.Equal(HttpStatusCode.OK, (await Act(Cataloguer, byHand, "catalogue", new { values = new Dictionary<string, string> { ["categoryCode"] = "2.9.1" } })).Status);

        // A new 类目, and MR studies mapped to it.
        await ChangeSchemeAsync(HttpMethod.Post, "/classification/nodes", new { parentCode = (string?)null, code = "9", nameZh = "测试影像", nameEn = "Test imaging", reason = "test" });
        await ChangeSchemeAsync(HttpMethod.Put, "/classification/dicom-mapping", new { attribute = "Modality", value = "MR", code = "9", reason = "test" });

        var entry = await WaitForAsync(auto, e => Value(e, "categoryCode")["value"]!.ToString() == "9");
        Assert.Equal("auto", Value(entry, "categoryCode")["source"]!.ToString());
        Assert.Contains("Modality=MR→9", Value(entry, "categoryCode")["rule"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("re-derived after classification scheme revision", Value(entry, "categoryCode")["rule"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("测试影像", Value(entry, "categoryName")["value"]!.ToString());
        Assert.Contains("re-derived after classification scheme revision", Value(entry, "categoryName")["rule"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("catalogued", entry["state"]!.ToString());

        var kept = await GetAsync(byHand);
        Assert.Equal(("2.9.1", "manual", "entered by cat-1"),
            (Value(kept, "categoryCode")["value"]!.ToString(), Value(kept, "categoryCode")["source"]!.ToString(), Value(kept, "categoryCode")["rule"]!.ToString()));
        Assert.Empty(Problems(kept, "categoryCode"));

        // The cataloguer's 细目 is withdrawn: the value stays, and the entry says why it no longer conforms.
        await ChangeSchemeAsync(HttpMethod.Patch, "/classification/nodes/2.9.1", new { withdrawn = true, reason = "test" });
        kept = await WaitForAsync(byHand, e => Problems(e, "categoryCode").Any());
        Assert.Equal(("2.9.1", "manual"), (Value(kept, "categoryCode")["value"]!.ToString(), Value(kept, "categoryCode")["source"]!.ToString()));
        Assert.Contains("withdrawn", Problems(kept, "categoryCode").Single()["detail"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegisteredEntryIsNotChangedButCarriesTheProblemUntilItIsCataloguedAgain()
    {
        var id = await IngestAsync("CT_small.dcm");
        Assert.Equal(HttpStatusCode.OK, (await Act(Cataloguer, id, "catalogue", new { values = new Dictionary<string, string> { ["categoryCode"] = "2.2.1" } })).Status);
        var (status, body) = await Act(Cataloguer, id, "register");
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("CT / 胸部 / 平扫", Value(body, "categoryName")["value"]!.ToString());

        await ChangeSchemeAsync(HttpMethod.Patch, "/classification/nodes/2.2.1", new { nameZh = "平扫（修订）", reason = "test" });

        var entry = await WaitForAsync(id, e => Problems(e, "categoryName").Any());
        Assert.Equal("registered", entry["state"]!.ToString());
        Assert.Equal("CT / 胸部 / 平扫", Value(entry, "categoryName")["value"]!.ToString());
        Assert.Contains("CT / 胸部 / 平扫（修订）", Problems(entry, "categoryName").Single()["detail"]!.ToString(), StringComparison.Ordinal);

        // The reviewer cannot approve a record whose classification the scheme has overtaken.
        var reviewer = node.Client("rev-1", Roles.Reviewer);
        (status, body) = await Act(reviewer, id, "approve");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains(body["problems"]!.AsArray(), p => p!["elementId"]!.ToString() == "categoryName");

        // Rejected, reopened and catalogued again, it takes the new names and the problem goes.
        Assert.Equal(HttpStatusCode.OK, (await Act(reviewer, id, "reject", new { reason = "classification scheme revised" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Act(Cataloguer, id, "revise")).Status);
        (status, body) = await Act(Cataloguer, id, "catalogue");
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("CT / 胸部 / 平扫（修订）", Value(body, "categoryName")["value"]!.ToString());
        Assert.Empty(Problems(body, "categoryName"));
    }
}
