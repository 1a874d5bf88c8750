using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Tests;

/// <summary>
/// Registration's published-entries feed, which the directory rebuilds from: every published entry once, in keyset pages
/// chained by their cursors, each item the record the directory was told; filtered by the caller's clearance and scope.
/// </summary>
[Collection(CatalogNodeGroup.Name)]
public sealed class PublishedFeedTests(CatalogNode node)
{
    [Fact]
    public async Task The_feed_pages_through_every_published_entry_and_a_lower_clearance_sees_fewer()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var mine = new Dictionary<Guid, string>();
        foreach (var level in new[] { SecurityLevels.Public, SecurityLevels.Public, SecurityLevels.Public, SecurityLevels.Internal, SecurityLevels.Restricted })
            mine[await node.PublishAsync($"订阅源 {run} {level} {mine.Count}", level)] = level;
        // Catalogued but never published: not in the feed.
        var created = await node.Registrar("cataloguer-1", Roles.Cataloguer).PostAsync("/resources",
            System.Net.Http.Json.JsonContent.Create(new { kind = "dataset", values = CatalogNode.Dataset($"订阅源 {run} 未发布", SecurityLevels.Public), institution = CatalogNode.InstitutionA }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var everything = await ReadAllAsync(SecurityLevels.Confidential);
        var published = await node.CountAsync("SELECT count(*) FROM registration.resources WHERE state = 'Published'");
        Assert.Equal(published, everything.Count);
        Assert.Equal(everything.Count, everything.Select(i => i["resourceId"]!.ToString()).Distinct().Count());
        Assert.Superset(mine.Keys.ToHashSet(), everything.Select(i => Guid.Parse(i["resourceId"]!.ToString())).ToHashSet());
        Assert.DoesNotContain(everything, i => i["title"]!.ToString().Contains("未发布", StringComparison.Ordinal));

        var internalOnly = await ReadAllAsync(SecurityLevels.Internal);
        var visible = await node.CountAsync("SELECT count(*) FROM registration.resources WHERE state = 'Published' AND security_classification IN ('public', 'internal')");
        Assert.Equal(visible, internalOnly.Count);
        Assert.True(internalOnly.Count < everything.Count);
        var seen = internalOnly.Select(i => Guid.Parse(i["resourceId"]!.ToString())).ToHashSet();
        Assert.Equal(mine.Where(m => m.Value != SecurityLevels.Restricted).Select(m => m.Key).Order(), mine.Keys.Where(seen.Contains).Order());

        // Each item is the record the directory was told: who published it and when, from the workflow's steps.
        var item = everything.Single(i => Guid.Parse(i["resourceId"]!.ToString()) == mine.Keys.First());
        Assert.Equal("publisher-1", item["actor"]!.ToString());
        Assert.Equal(node.NodeId, item["originNode"]!.ToString());
        Assert.Equal("2.2.1", item["classificationCode"]!.ToString());
        Assert.Equal(CatalogNode.InstitutionA, item["institution"]!.ToString());
        Assert.Equal(1, item["recordVersion"]!.GetValue<int>());
        var at = item["occurredAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(1, await node.CountAsync("""
            SELECT count(*) FROM registration.resource_transitions WHERE resource_id = $1 AND action = 'Publish' AND actor = 'publisher-1' AND at = $2
            """, mine.Keys.First(), at));
    }

    [Theory]
    [InlineData("after=not-a-cursor", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=2001", "limit")]
    public async Task A_bad_cursor_or_limit_is_a_problem_naming_the_parameter(string query, string parameter)
    {
        var response = await Feed(SecurityLevels.Confidential).GetAsync($"/published?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal([parameter], errors.Select(e => e.Key));
    }

    [Fact]
    public async Task Only_nodes_read_the_feed()
    {
        var researcher = CatalogNode.Client(node.RegistrationUrl, TestTokens.Create(node.Node, "researcher-1", Roles.Researcher));
        Assert.Equal(HttpStatusCode.Forbidden, (await researcher.GetAsync("/published")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = node.RegistrationUrl }.GetAsync("/published")).StatusCode);
    }

    private HttpClient Feed(string clearance) =>
        CatalogNode.Client(node.RegistrationUrl, TestTokens.CreateScoped(node.Node, "peer-node", clearance, null, Roles.Node));

    private async Task<List<JsonNode>> ReadAllAsync(string clearance)
    {
        var client = Feed(clearance);
        var items = new List<JsonNode>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await client.GetAsync($"/published?limit=2{(cursor is null ? "" : $"&after={cursor}")}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            var page = JsonNode.Parse(body)!;
            var batch = page["items"]!.AsArray().Select(i => i!).ToList();
            Assert.InRange(batch.Count, 0, 2);
            Assert.Equal(2, page["limit"]!.GetValue<int>());
            items.AddRange(batch);
            // Keyset: the next page starts after the last entry of this one.
            var next = page["nextCursor"];
            cursor = next is null || next.GetValueKind() == JsonValueKind.Null ? null : next.ToString();
            if (cursor is not null) Assert.Equal(batch[^1]["resourceId"]!.ToString(), cursor);
            pages++;
        }
        while (cursor is not null);
        Assert.True(pages >= items.Count / 2, $"{items.Count} items in {pages} pages of 2");
        return items;
    }
}
