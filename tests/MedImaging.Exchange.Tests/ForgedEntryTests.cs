using MassTransit;
using MedImaging.Contracts.Exchange;
using MedImaging.Exchange.Audit;
using MedImaging.Exchange.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// What arrives on a link is checked before anything of it is kept (issue 13 item 2): a bad signature, a wrong origin,
/// an entry arriving back at its origin, or one from a node that is not a neighbour is set aside, reported and audited.
/// </summary>
public sealed class ForgedEntryTests : IAsyncLifetime
{
    private FederationTree _tree = null!;

    public async Task InitializeAsync() => _tree = await FederationTree.CreateAsync();

    public async Task DisposeAsync() => await _tree.DisposeAsync();

    [Fact]
    public async Task Forged_entries_are_refused_reported_and_never_indexed()
    {
        var (county, city, province) = (_tree.County, _tree.City, _tree.Province);
        using var countyKey = Signer(county);
        using var cityKey = Signer(city);
        using var provinceKey = Signer(province);
        var entry = county.Published("伪造测试 胸部CT");
        var payload = EntryFact.PayloadOf(entry);
        var good = Hop(cityKey.Signatures, payload, countyKey.Signatures.SignPayload(payload), "zhengding", ["zhengding", "shijiazhuang"], "shijiazhuang", "hebei");

        var forgeries = new (string Why, FederatedEntry Message)[]
        {
            // The payload changed after the origin signed it (the city re-signs the hop, so only the origin's signature catches it).
            ("origin signature", Hop(cityKey.Signatures, Altered(payload), good.OriginSignature!, "zhengding", good.Path, "shijiazhuang", "hebei")),
            // The city claims the county's entry but signs it itself.
            ("origin signature", Hop(cityKey.Signatures, payload, cityKey.Signatures.SignPayload(payload), "zhengding", good.Path, "shijiazhuang", "hebei")),
            // A path that does not start at the origin.
            ("path starts", Hop(cityKey.Signatures, payload, good.OriginSignature!, "zhengding", ["zanhuang", "shijiazhuang"], "shijiazhuang", "hebei")),
            // The province's own entry, coming back to it.
            ("came back", Own(provinceKey, cityKey, province)),
            // A county skipping its city: not a neighbour of the province.
            ("neither this node's parent", Hop(countyKey.Signatures, payload, good.OriginSignature!, "zhengding", ["zhengding"], "zhengding", "hebei")),
            // A good hop signature over a message then redirected or altered in transit.
            ("hop signature", good with { Share = "unconditional", PatientPseudonym = "0000" }),
            // A withdrawal of an entry the province never had: it would leave a tombstone keeping the real one out.
            ("never had", Unshare(cityKey.Signatures, entry.ResourceId)),
        };
        var send = await province.Exchange.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri("queue:federation.in"));
        foreach (var (_, message) in forgeries) await send.Send(message);

        await FederationTree.WaitUntilAsync(async () => await province.CountAsync("SELECT count(*) FROM exchange.federation_refusals") == forgeries.Length,
            "every forgery is set aside", onTimeout: () => province.TextAsync("SELECT string_agg(reason, ' | ') FROM exchange.federation_refusals"));
        foreach (var (why, _) in forgeries)
            Assert.True(await province.CountAsync("SELECT count(*) FROM exchange.federation_refusals WHERE reason LIKE '%' || $1 || '%'", why) >= 1, $"no refusal says '{why}'");
        Assert.Null(await province.EntryAsync(entry.ResourceId));
        Assert.Equal(0, await province.CountAsync("SELECT count(*) FROM exchange.federated_entries"));
        await FederationTree.WaitUntilAsync(async () =>
            await province.CountAsync("SELECT count(*) FROM exchange.audit_records WHERE action = 'federation-refused' AND outcome = 'denied'") == forgeries.Length,
            "every refusal is in the province's audit trail");

        // The genuine message after all of them is applied.
        await send.Send(good);
        await FederationTree.WaitUntilAsync(async () => await province.EntryAsync(entry.ResourceId) is { Visible: true }, "the genuine entry is indexed");
    }

    // The same entry with another title: what a node on the way might want the province to believe.
    private static string Altered(string payload)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(payload)!;
        node["title"] = "篡改后的标题";
        return node.ToJsonString();
    }

    private static FederatedEntry Hop(EntrySignatures sender, string payload, string originSignature, string origin, IReadOnlyList<string> path, string from, string to)
    {
        var e = System.Text.Json.JsonSerializer.Deserialize<Contracts.Registration.ResourcePublished>(payload, EntryFact.Json)!;
        return new FederatedEntry
        {
            Kind = FederatedEntry.Published, OriginNode = origin, ResourceId = e.ResourceId, RecordVersion = e.RecordVersion, Payload = payload,
            OriginSignature = originSignature, PatientPseudonym = "abc", Path = path, Sender = from, Recipient = to, Share = "conditional",
            HopSignature = sender.SignHop(FederatedEntry.Published, from, to, payload, "abc", path, "conditional"),
        };
    }

    private static FederatedEntry Unshare(EntrySignatures city, Guid id)
    {
        var payload = EntryFact.PayloadOf(new UnsharedEntry("zhengding", id, 1, "规则变更"));
        string[] path = ["zhengding", "shijiazhuang"];
        return new FederatedEntry
        {
            Kind = FederatedEntry.Unshared, OriginNode = "zhengding", ResourceId = id, RecordVersion = 1, Payload = payload, Path = path,
            Sender = "shijiazhuang", Recipient = "hebei", Share = "conditional",
            HopSignature = city.SignHop(FederatedEntry.Unshared, "shijiazhuang", "hebei", payload, null, path, "conditional"),
        };
    }

    private static FederatedEntry Own(NodeSigner provinceKey, NodeSigner cityKey, FederatedNode province)
    {
        var entry = province.Published("省级 自有条目");
        var payload = EntryFact.PayloadOf(entry);
        return Hop(cityKey.Signatures, payload, provinceKey.Signatures.SignPayload(payload), "hebei", ["hebei", "shijiazhuang"], "shijiazhuang", "hebei");
    }

    // A node's federation key as its Exchange host generated it (Testing: next to the node's token keys).
    private NodeSigner Signer(FederatedNode node)
    {
        var keys = new FederationKeys(AnchorKey.Load(Path.Combine(node.Env.Directory, $"{node.NodeId}-federation.pem"), current: true), _tree.PeerKeys);
        return new NodeSigner(keys, new EntrySignatures(keys));
    }

    private sealed record NodeSigner(FederationKeys Keys, EntrySignatures Signatures) : IDisposable
    {
        public void Dispose() => Keys.Dispose();
    }
}
