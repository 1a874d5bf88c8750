using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests;

/// <summary>
/// The basic interface's sessions (目录服务初始化 / 目录服务终止, §4.10): opened with their limits, kept in Redis with a
/// sliding expiry, bound to the caller that opened them, and ended with their result sets — by the caller or by idling.
/// </summary>
public sealed class DirectorySessionTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;

    public async Task InitializeAsync() => _node = await DirectoryNode.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_session_opens_with_its_limits_each_use_renews_it_and_terminating_drops_its_result_sets()
    {
        await _node.ApplyAsync(_node.Published("会话测试 胸部CT"));
        var client = _node.Client(SecurityLevels.Internal);

        var opened = await client.PostAsync("/sessions", null);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var session = (await opened.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = session["id"].Str();
        Assert.Equal($"/sessions/{id}", opened.Headers.Location!.OriginalString);
        Assert.Equal(10, session["limits"]!["maxResultSets"]!.GetValue<int>());
        Assert.Equal(10_000, session["limits"]!["maxResultSetSize"]!.GetValue<int>());
        Assert.Equal(100, session["limits"]!["maxRecordsPerRetrieval"]!.GetValue<int>());
        Assert.Equal("PT30M", session["limits"]!["idleTimeout"].Str());
        Assert.True(session["expiresAt"]!.GetValue<DateTimeOffset>() > session["createdAt"]!.GetValue<DateTimeOffset>());

        var rs = (await client.SearchAsync(id, new { text = "会话测试" }))["resultSetId"].Str();

        // As if the session had idled almost to its end: one use gives it, and its result sets, the whole idle timeout again.
        var redis = _node.Redis();
        await redis.KeyExpireAsync(_node.SessionKey(id), TimeSpan.FromSeconds(5));
        await redis.KeyExpireAsync(_node.ResultSetKeys(rs), TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/sessions/{id}")).StatusCode);
        Assert.True(await redis.KeyTimeToLiveAsync(_node.SessionKey(id)) > TimeSpan.FromMinutes(29));
        Assert.True(await redis.KeyTimeToLiveAsync(_node.ResultSetKeys(rs)) > TimeSpan.FromMinutes(29));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/sessions/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sessions/{id}/result-sets/{rs}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/sessions/{id}/searches", new { text = "会话测试" })).StatusCode);
        Assert.False(await redis.KeyExistsAsync(_node.ResultSetKeys(rs)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/sessions/{id}")).StatusCode);
    }

    [Fact]
    public async Task Another_caller_using_the_session_id_gets_404_everywhere_and_the_owner_keeps_its_session()
    {
        await _node.ApplyAsync(_node.Published("他人会话 腹部MR"));
        var owner = _node.Client(SecurityLevels.Confidential);
        var id = await owner.OpenSessionAsync();
        var rs = (await owner.SearchAsync(id, new { text = "他人会话" }))["resultSetId"].Str();

        foreach (var other in new[] { _node.ClientAs("someone-else", SecurityLevels.Confidential), _node.Anonymous() })
        {
            var gets = await other.GetAsync($"/sessions/{id}");
            Assert.Equal(HttpStatusCode.NotFound, gets.StatusCode);
            Assert.Equal("No such session", (await gets.Content.ReadFromJsonAsync<JsonObject>())!["title"].Str());
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/sessions/{id}/searches", new { text = "他人会话" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/sessions/{id}/result-sets/{rs}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/sessions/{id}")).StatusCode);
        }

        Assert.Equal(1, (await owner.RetrieveAsync(id, rs))["size"]!.GetValue<int>());
    }

    [Fact]
    public async Task Anonymous_callers_open_sessions_of_their_own()
    {
        await _node.ApplyAsync(_node.Published("匿名会话 公开"), _node.Published("匿名会话 内部", SecurityLevels.Internal));
        var anonymous = _node.Anonymous();
        var id = await anonymous.OpenSessionAsync();
        var found = await anonymous.SearchAsync(id, new { text = "匿名会话" });
        Assert.Equal(1, found["hits"]!.GetValue<long>());
        // A signed-in caller is not the anonymous owner.
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Client(SecurityLevels.Public).GetAsync($"/sessions/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_session_idle_past_its_timeout_expires_with_its_result_sets()
    {
        await using var node = await DirectoryNode.CreateAsync(new Dictionary<string, string?> { ["Directory:Discovery:IdleTimeout"] = "00:00:01" });
        await node.ApplyAsync(node.Published("过期会话 胸部"));
        var client = node.Client(SecurityLevels.Public);
        var id = await client.OpenSessionAsync();
        var rs = (await client.SearchAsync(id, new { text = "过期会话" }))["resultSetId"].Str();

        // Watch Redis, not the API: a GET would renew the session it is waiting for.
        var redis = node.Redis();
        for (var waited = 0; waited < 600 && (await redis.KeyExistsAsync(node.SessionKey(id)) || await redis.KeyExistsAsync(node.ResultSetKeys(rs))); waited++)
            await Task.Delay(100);

        Assert.False(await redis.KeyExistsAsync(node.SessionKey(id)));
        Assert.False(await redis.KeyExistsAsync(node.ResultSetKeys(rs)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sessions/{id}/result-sets/{rs}")).StatusCode);
    }
}
