using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests;

/// <summary>
/// 目录检索 and 目录检索结果提取 (§4.10 发现接口): a search answers the exact hit count and a ResultSet, a snapshot of the
/// matching keys in order; retrieval by 1-based position reads from the snapshot, so it stays put while entries are
/// published or withdrawn meanwhile.
/// </summary>
public sealed class ResultSetTests : IAsyncLifetime
{
    private static readonly string[] PublicAndSecret = ["public", "secret"];
    private static readonly string[] Ct = ["CT"];
    private DirectoryNode _node = null!;

    public async Task InitializeAsync() => _node = await DirectoryNode.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private ResourcePublished At(string title, int minute, string classification = SecurityLevels.Public) =>
        _node.Published(title, classification) with { OccurredAt = new DateTimeOffset(2026, 11, 1, 8, minute, 0, TimeSpan.Zero) };

    [Fact]
    public async Task Retrieval_by_position_is_stable_while_a_new_matching_entry_is_published()
    {
        await _node.ApplyAsync(At("肺结节随访 甲", 1), At("肺结节随访 乙", 2), At("肺结节随访 丙", 3), At("腹部超声 丁", 4));
        var client = _node.Client(SecurityLevels.Internal);
        var session = await client.OpenSessionAsync();

        var created = await client.SearchAsync(session, new { text = "结节", sort = "date" });
        Assert.Equal(3, created["hits"]!.GetValue<long>());
        Assert.Equal(3, created["size"]!.GetValue<int>());
        Assert.False(created["capped"]!.GetValue<bool>());
        var rs = created["resultSetId"].Str();

        var first = await client.RetrieveAsync(session, rs, position: 1, count: 10);
        Assert.Equal(["肺结节随访 丙", "肺结节随访 乙", "肺结节随访 甲"], first.Records().Select(r => r["title"].Str()));
        Assert.Equal([1, 2, 3], first.Records().Select(r => r["position"]!.GetValue<int>()));
        Assert.Null(first["nextPosition"]);

        // Newer than all three: a fresh search puts it first; the result set does not move.
        await _node.ApplyAsync(At("肺结节随访 戊", 30));
        var again = await client.RetrieveAsync(session, rs, position: 2, count: 2);
        Assert.Equal(["肺结节随访 乙", "肺结节随访 甲"], again.Records().Select(r => r["title"].Str()));
        Assert.Equal(3, again["hits"]!.GetValue<long>());
        var page = await client.RetrieveAsync(session, rs, position: 1, count: 1);
        Assert.Equal(2, page["nextPosition"]!.GetValue<int>());
        Assert.Equal("肺结节随访 丙", page.Records().Single()["title"].Str());

        var fresh = await client.SearchAsync(session, new { text = "结节", sort = "date" });
        Assert.Equal(4, fresh["hits"]!.GetValue<long>());
        Assert.Equal("肺结节随访 戊", (await client.RetrieveAsync(session, fresh["resultSetId"].Str(), count: 1)).Records().Single()["title"].Str());
    }

    [Fact]
    public async Task A_withdrawn_entry_keeps_its_position_and_shows_as_withdrawn()
    {
        var gone = At("纵隔淋巴结 撤回", 2);
        await _node.ApplyAsync(At("纵隔淋巴结 保留", 1), gone, At("纵隔淋巴结 新", 3));
        var client = _node.Client(SecurityLevels.Public);
        var session = await client.OpenSessionAsync();
        var rs = (await client.SearchAsync(session, new { text = "纵隔", sort = "date", order = "asc" }))["resultSetId"].Str();

        await _node.ApplyAsync(new ResourceWithdrawn { OriginNode = gone.OriginNode, ResourceId = gone.ResourceId, RecordVersion = 1, Actor = "p", Reason = "duplicate" });

        var records = (await client.RetrieveAsync(session, rs, elementSet: "summary")).Records().ToList();
        Assert.Equal(["available", "withdrawn", "available"], records.Select(r => r["status"].Str()));
        Assert.Equal(gone.ResourceId, records[1]["resourceId"]!.GetValue<Guid>());
        // Nothing of the withdrawn entry but its key.
        Assert.Equal(["position", "status", "originNode", "resourceId"], records[1].Select(p => p.Key));
        Assert.Equal("纵隔淋巴结 新", records[2]["title"].Str());
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_or_parameter_and_past_the_end_says_so()
    {
        await _node.ApplyAsync(At("错误输入 一", 1), At("错误输入 二", 2));
        var client = _node.Client(SecurityLevels.Public);
        var session = await client.OpenSessionAsync();
        var rs = (await client.SearchAsync(session, new { text = "错误输入" }))["resultSetId"].Str();

        async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }

        var past = await ProblemAsync(await client.GetAsync($"/sessions/{session}/result-sets/{rs}?position=3"));
        Assert.Contains("Past the end", past["errors"]!["position"]![0].Str(), StringComparison.Ordinal);
        Assert.Contains("holds 2 records", past["errors"]!["position"]![0].Str(), StringComparison.Ordinal);
        Assert.NotNull((await ProblemAsync(await client.GetAsync($"/sessions/{session}/result-sets/{rs}?position=0")))["errors"]!["position"]);
        Assert.NotNull((await ProblemAsync(await client.GetAsync($"/sessions/{session}/result-sets/{rs}?count=101")))["errors"]!["count"]);
        Assert.NotNull((await ProblemAsync(await client.GetAsync($"/sessions/{session}/result-sets/{rs}?elementSet=everything")))["errors"]!["elementSet"]);
        Assert.NotNull((await ProblemAsync(await client.GetAsync($"/sessions/{session}/result-sets/{rs}?format=csv")))["errors"]!["format"]);

        Assert.NotNull((await ProblemAsync(await client.PostAsJsonAsync($"/sessions/{session}/searches", new { sort = "popularity" })))["errors"]!["sort"]);
        Assert.NotNull((await ProblemAsync(await client.PostAsJsonAsync($"/sessions/{session}/searches",
            new { securityClassifications = PublicAndSecret })))["errors"]!["securityClassifications[1]"]);
        Assert.NotNull((await ProblemAsync(await client.PostAsJsonAsync($"/sessions/{session}/searches",
            new { studyDateFrom = "2025-05-01", studyDateTo = "2025-01-01" })))["errors"]!["studyDateFrom"]);
        // A misspelt filter is refused rather than ignored (it would silently widen the search).
        var unknown = await ProblemAsync(await client.PostAsJsonAsync($"/sessions/{session}/searches", new { modality = Ct }));
        Assert.Contains("modality", unknown.ToJsonString(), StringComparison.Ordinal);
        var malformed = await ProblemAsync(await client.PostAsync($"/sessions/{session}/searches",
            new StringContent("""{"studyDateFrom": "14.03.2025"}""", System.Text.Encoding.UTF8, "application/json")));
        Assert.Equal("$.studyDateFrom", malformed["path"].Str());
    }

    [Fact]
    public async Task A_search_matching_more_than_the_limit_is_capped_and_says_so_and_the_oldest_result_set_makes_room()
    {
        await using var node = await DirectoryNode.CreateAsync(new Dictionary<string, string?>
        {
            ["Directory:Discovery:MaxResultSetSize"] = "3", ["Directory:Discovery:MaxResultSets"] = "2",
        });
        await node.ApplyAsync([.. Enumerable.Range(1, 5).Select(i => node.Published($"上限测试 {i}"))]);
        var client = node.Client(SecurityLevels.Public);
        var session = await client.OpenSessionAsync();

        var capped = await client.SearchAsync(session, new { text = "上限测试" });
        Assert.Equal(5, capped["hits"]!.GetValue<long>());
        Assert.Equal(3, capped["size"]!.GetValue<int>());
        Assert.True(capped["capped"]!.GetValue<bool>());
        var rs = capped["resultSetId"].Str();
        Assert.Equal(3, (await client.RetrieveAsync(session, rs)).Records().Count());

        var second = (await client.SearchAsync(session, new { text = "上限测试" }))["resultSetId"].Str();
        var third = (await client.SearchAsync(session, new { text = "上限测试" }))["resultSetId"].Str();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sessions/{session}/result-sets/{rs}")).StatusCode);
        Assert.Equal(3, (await client.RetrieveAsync(session, second)).Records().Count());
        Assert.Equal(3, (await client.RetrieveAsync(session, third)).Records().Count());
    }
}
