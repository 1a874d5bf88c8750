using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// Links stopped while a county publishes a thousand entries (issue 13 acceptance): the outage shows in the link
/// status (down, backlog, the error), and after the links are back every node ends as it would have without the outage.
/// </summary>
public sealed class LinkOutageTests : IAsyncLifetime
{
    private const int Entries = 1000;
    private FederationTree _tree = null!;

    public async Task InitializeAsync() => _tree = await FederationTree.CreateAsync();

    public async Task DisposeAsync() => await _tree.DisposeAsync();

    [Fact]
    public async Task After_an_outage_every_node_ends_as_without_it_nothing_lost_nothing_duplicated()
    {
        var (county, city, province) = (_tree.County, _tree.City, _tree.Province);
        await _tree.LinksAsync("down");

        var entries = Enumerable.Range(0, Entries).Select(i => county.Published($"断链测试 {i:D4} 胸部CT")).ToList();
        foreach (var e in entries) await county.PublishAsync(e);
        // Within the outage, a tenth is withdrawn and another tenth revised and republished as version 2.
        var withdrawn = entries.Take(100).ToList();
        var revised = entries.Skip(100).Take(100).ToList();
        foreach (var e in withdrawn)
            await county.PublishAsync(new ResourceWithdrawn { OriginNode = "zhengding", ResourceId = e.ResourceId, RecordVersion = 1, Actor = "p", Reason = "撤销" });
        foreach (var e in revised)
        {
            await county.PublishAsync(new ResourceRevised { OriginNode = "zhengding", ResourceId = e.ResourceId, RecordVersion = 2, PreviousState = "published", Actor = "c" });
            await county.PublishAsync(e with { RecordVersion = 2, Title = e.Title + " 第二版" });
        }

        // The county's operator sees the link to its city down, with what waits for it.
        using var regulator = county.Exchange.CreateClient().WithToken(TestTokens.Create(county.Env, "regulator-1", Roles.Regulator));
        JsonObject? up = null;
        await FederationTree.WaitUntilAsync(async () =>
        {
            var links = (await regulator.GetFromJsonAsync<JsonObject>("/links/status"))!["items"]!.AsArray();
            up = links.Single(l => l!["peer"]!.GetValue<string>() == "shijiazhuang")!.AsObject();
            return up["backlog"]!.GetValue<long>() > 0 && await county.CountAsync("SELECT count(*) FROM exchange.federated_entries") == Entries;
        }, "the county has handled every fact and the link's backlog shows");
        Assert.Equal("down", up!["state"]!.GetValue<string>());
        Assert.Contains("federation.out.shijiazhuang", up["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await province.CountAsync("SELECT count(*) FROM directory.catalog_entries"));

        await _tree.LinksAsync("up");
        await FederationTree.WaitUntilAsync(async () =>
            await province.CountAsync("SELECT count(*) FROM directory.catalog_entries WHERE state = 'Published' AND title LIKE '%第二版'") == revised.Count
            && await province.CountAsync("SELECT count(*) FROM directory.catalog_entries WHERE state = 'Published'") == Entries - withdrawn.Count,
            "the province reaches the final state", seconds: 240,
            onTimeout: async () => $"province has {await province.CountAsync("SELECT count(*) FROM directory.catalog_entries WHERE state = 'Published'")} published");

        foreach (var node in new[] { city, province })
        {
            // One row per entry (nothing duplicated), each in the state the county left it in (nothing lost).
            Assert.Equal(Entries, await node.CountAsync("SELECT count(*) FROM directory.catalog_entries WHERE origin_node = 'zhengding'"));
            Assert.Equal(withdrawn.Count, await node.CountAsync("SELECT count(*) FROM directory.catalog_entries WHERE state = 'Withdrawn'"));
            Assert.Equal(revised.Count, await node.CountAsync("SELECT count(*) FROM directory.catalog_entries WHERE record_version = 2 AND state = 'Published'"));
            Assert.Equal(Entries, await node.CountAsync("SELECT count(*) FROM exchange.federated_entries"));
        }
        var after = (await regulator.GetFromJsonAsync<JsonObject>("/links/status"))!["items"]!.AsArray().Single(l => l!["peer"]!.GetValue<string>() == "shijiazhuang")!;
        Assert.Equal("running", after["state"]!.GetValue<string>());
        Assert.Equal(Entries - withdrawn.Count, after["entriesHeldByPeer"]!.GetValue<long>());
    }
}
