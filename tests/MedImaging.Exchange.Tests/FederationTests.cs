using MedImaging.Contracts.Registration;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// Centralised mode over the real broker and databases (issue 13 items 1–3): a county's publications reach its city
/// and the province through the shovels, with the shipped tier files' rules applied at each hop.
/// </summary>
public sealed class FederationTests : IAsyncLifetime
{
    private FederationTree _tree = null!;

    public async Task InitializeAsync() => _tree = await FederationTree.CreateAsync();

    public async Task DisposeAsync() => await _tree.DisposeAsync();

    [Fact]
    public async Task A_county_publication_reaches_city_and_province_with_the_rules_of_each_link()
    {
        var (county, city, province) = (_tree.County, _tree.City, _tree.Province);
        var open = county.Published("正定县 胸部CT 公开");
        var pathology = county.Published("正定县 病理切片", classification: "7.1.1");
        var restricted = county.Published("正定县 胸部CT 受限", security: "restricted");
        var confidential = county.Published("正定县 胸部CT 机密", security: "confidential");
        var internalOne = county.Published("正定县 胸部CT 内部", security: "internal");
        foreach (var e in new[] { open, pathology, restricted, confidential, internalOne }) await county.PublishAsync(e);

        await FederationTree.WaitUntilAsync(async () => await province.EntryAsync(open.ResourceId) is { Visible: true }
            && await province.EntryAsync(restricted.ResourceId) is { Visible: true } && await province.EntryAsync(internalOne.ResourceId) is { Visible: true },
            "the shared entries are in the province's directory");

        var atCity = (await city.EntryAsync(open.ResourceId))!;
        var atProvince = (await province.EntryAsync(open.ResourceId))!;
        Assert.Equal("zhengding", atProvince.Origin);
        Assert.Equal(["zhengding"], atCity.Path);
        Assert.Equal(["zhengding", "shijiazhuang"], atProvince.Path);
        Assert.Equal("unconditional", atProvince.SharedAs);
        // Re-keyed on each link (the shipped rules' default): neither the city nor the province can join with the county's pseudonym.
        Assert.NotNull(atCity.Pseudonym);
        Assert.NotEqual(open.PatientPseudonym, atCity.Pseudonym);
        Assert.NotEqual(atCity.Pseudonym, atProvince.Pseudonym);
        Assert.NotEqual(open.PatientPseudonym, atProvince.Pseudonym);

        // Restricted: conditional on both links. Internal: unconditional into the city, conditional from the city up.
        Assert.Equal("conditional", (await city.EntryAsync(restricted.ResourceId))!.SharedAs);
        Assert.Equal("conditional", (await province.EntryAsync(restricted.ResourceId))!.SharedAs);
        Assert.Equal("unconditional", (await city.EntryAsync(internalOne.ResourceId))!.SharedAs);
        Assert.Equal("conditional", (await province.EntryAsync(internalOne.ResourceId))!.SharedAs);

        // Not shared (pathology by rule, confidential by no rule): in no ancestor's database, nor waiting in any queue.
        foreach (var kept in new[] { pathology, confidential })
            foreach (var ancestor in new[] { city, province })
            {
                Assert.Null(await ancestor.EntryAsync(kept.ResourceId));
                Assert.Equal(0, await ancestor.CountAsync("SELECT count(*) FROM exchange.federated_entries WHERE resource_id = $1", kept.ResourceId));
            }
        Assert.Equal(3, await county.CountAsync("SELECT count(*) FROM exchange.federation_shares WHERE target = 'shijiazhuang'"));
        await AssertQueuesEmptyAsync();
    }

    [Fact]
    public async Task Revisions_and_withdrawals_follow_the_entry_hop_by_hop()
    {
        var (county, city, province) = (_tree.County, _tree.City, _tree.Province);
        var v1 = county.Published("正定县 腹部CT 第一版");
        var other = county.Published("正定县 头颅CT");
        await county.PublishAsync(v1);
        await county.PublishAsync(other);
        await FederationTree.WaitUntilAsync(async () => await province.EntryAsync(v1.ResourceId) is { Visible: true }
            && await province.EntryAsync(other.ResourceId) is { Visible: true }, "both entries are at the province");

        await county.PublishAsync(new ResourceRevised { OriginNode = "zhengding", ResourceId = v1.ResourceId, RecordVersion = 2, PreviousState = "published", Actor = "c" });
        await FederationTree.WaitUntilAsync(async () => await province.EntryAsync(v1.ResourceId) is { Visible: false, Version: 2 }, "the revision hides it at the province");
        Assert.False((await city.EntryAsync(v1.ResourceId))!.Visible);

        await county.PublishAsync(v1 with { RecordVersion = 2, Title = "正定县 腹部CT 第二版" });
        await FederationTree.WaitUntilAsync(async () => await province.EntryAsync(v1.ResourceId) is { Visible: true, Title: "正定县 腹部CT 第二版" },
            "the second version shows at the province");

        await county.PublishAsync(new ResourceWithdrawn { OriginNode = "zhengding", ResourceId = other.ResourceId, RecordVersion = 1, Actor = "p", Reason = "重复" });
        await FederationTree.WaitUntilAsync(async () => await province.EntryAsync(other.ResourceId) is { Visible: false }, "the withdrawal reaches the province");
        Assert.False((await city.EntryAsync(other.ResourceId))!.Visible);

        // A late copy of the first publication changes nothing anywhere.
        await county.PublishAsync(other);
        await county.PublishAsync(v1);
        await Task.Delay(1500);
        Assert.False((await province.EntryAsync(other.ResourceId))!.Visible);
        Assert.Equal("正定县 腹部CT 第二版", (await province.EntryAsync(v1.ResourceId))!.Title);
    }

    [Fact]
    public async Task A_rule_change_withdraws_upstream_what_may_no_longer_cross()
    {
        var (county, city, province) = (_tree.County, _tree.City, _tree.Province);
        var chest = county.Published("正定县 胸部CT 规则变更前");
        var head = county.Published("正定县 头颅MR", classification: "3.1.1");
        await county.PublishAsync(chest);
        await county.PublishAsync(head);
        await FederationTree.WaitUntilAsync(async () => await province.EntryAsync(chest.ResourceId) is { Visible: true }
            && await province.EntryAsync(head.ResourceId) is { Visible: true }, "both entries are at the province");

        // The county's operator now keeps CT (类目 2) at home: a new first rule in routing.up.
        await county.RestartExchangeAsync(node => node["routing"]!["up"]!.AsArray().Insert(0,
            new System.Text.Json.Nodes.JsonObject { ["name"] = "CT 不出县", ["classifications"] = new System.Text.Json.Nodes.JsonArray("2"), ["share"] = "none" }));

        await FederationTree.WaitUntilAsync(async () => await province.EntryAsync(chest.ResourceId) is { Visible: false }, "the CT entry is withdrawn at the province");
        Assert.False((await city.EntryAsync(chest.ResourceId))!.Visible);
        Assert.True((await province.EntryAsync(head.ResourceId))!.Visible);
        await FederationTree.WaitUntilAsync(async () =>
            await county.CountAsync("SELECT count(*) FROM exchange.audit_records WHERE action = 'federation-unshared' AND resource_id = 'shijiazhuang'") == 1,
            "the county's trail records the withdrawal from its link");

        // New publications follow the new rule.
        var later = county.Published("正定县 胸部CT 规则变更后");
        var mr = county.Published("正定县 头颅MR 规则变更后", classification: "3.1.1");
        await county.PublishAsync(later);
        await county.PublishAsync(mr);
        await FederationTree.WaitUntilAsync(async () => await province.EntryAsync(mr.ResourceId) is { Visible: true }, "the MR published after the change arrives");
        Assert.Null(await city.EntryAsync(later.ResourceId));
    }

    private async Task AssertQueuesEmptyAsync()
    {
        await FederationTree.WaitUntilAsync(async () =>
        {
            foreach (var node in _tree.Nodes)
                foreach (var q in await node.Env.GetQueuesAsync())
                {
                    var name = q["name"]!.GetValue<string>();
                    // The city's queue to its other county (no node in this test) holds the sideways copies of conditional entries.
                    if (name.StartsWith("federation.", StringComparison.Ordinal) && name != "federation.out.zanhuang" && (q["messages"]?.GetValue<long>() ?? 0) > 0)
                        return false;
                }
            return true;
        }, "every federation queue but the absent county's is drained", 30);
    }
}
