using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Registration;
using MedImaging.Directory;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Infrastructure;
using MedImaging.Gateway;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Node;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// Distributed mode (issue 13 item 4): the province asks its city's Directory, which asks its county's, each through
/// the other's gateway on Kestrel as a peer-node client, each within a deadline. The answer names every node; a county
/// that is down or silent makes it partial — never an empty "no records" — and the sharing rules hold as in replication.
/// </summary>
public sealed class DistributedSearchTests : IAsyncLifetime
{
    private const string PeerSecret = "peer-secret-for-tests-0123456789";
    // Generous: the hosts share two cores with other test classes, and a first fan-out also fetches peer tokens.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    // Without a working deadline the silent county would hold the query until the HTTP client's own timeout (100 s).
    private static readonly TimeSpan WithinDeadline = Deadline + TimeSpan.FromSeconds(10);
    private readonly List<IAsyncDisposable> _hosts = [];
    private readonly Dictionary<string, NodeTestEnvironment> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _gatewayPorts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IAsyncDisposable> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceFactory<DirectoryServiceMarker>> _directories = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        foreach (var id in new[] { "zhengding", "shijiazhuang", "hebei" })
        {
            _gatewayPorts[id] = FreePort();
            var directoryPort = FreePort();
            _nodes[id] = await NodeTestEnvironment.CreateAsync(id, n =>
            {
                n["endpoints"]![ServiceNames.Gateway] = $"http://127.0.0.1:{_gatewayPorts[id]}";
                n["endpoints"]![ServiceNames.Directory] = $"http://127.0.0.1:{directoryPort}";
                // The city's other county has no node in this test (an unconfigured child would answer "failed").
                // Its sideways rules go with the second child: a node with one child may not have any.
                if (id != "shijiazhuang") return;
                n["children"] = new JsonArray("zhengding");
                n["routing"]!["sideways"] = new JsonArray();
            });
        }
        foreach (var (id, child) in new[] { ("zhengding", (string?)null), ("shijiazhuang", "zhengding"), ("hebei", "shijiazhuang") })
        {
            var settings = new Dictionary<string, string?> { ["Directory:FanOut:Deadline"] = Deadline.ToString() };
            if (child is not null)
            {
                settings[$"Directory:FanOut:Peers:{child}:Gateway"] = $"http://127.0.0.1:{_gatewayPorts[child]}";
                settings[$"Directory:FanOut:Peers:{child}:ClientId"] = $"peer-{id}";
                settings[$"Directory:FanOut:Peers:{child}:ClientSecret"] = PeerSecret;
            }
            _directories[id] = Start(new ServiceFactory<DirectoryServiceMarker>(_nodes[id], settings), Port(id, ServiceNames.Directory));
            StartGateway(id);
        }
        var parentOf = new Dictionary<string, string> { ["zhengding"] = "shijiazhuang", ["shijiazhuang"] = "hebei" };
        foreach (var (child, parent) in parentOf)
        {
            var gateway = (ServiceFactory<GatewayMarker>)_gateways[child];
            // What a deployment registers at a child's gateway for its parent: a node client, clearance restricted.
            await GatewaySeeder.EnsureClientAsync(gateway.Services, $"peer-{parent}", PeerSecret, [Roles.Node], SecurityLevels.Restricted);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts)) await host.DisposeAsync();
        foreach (var node in _nodes.Values) await node.DisposeAsync();
    }

    [Fact]
    public async Task A_province_query_fans_out_to_city_and_county_and_applies_their_rules()
    {
        await SeedAsync();
        var answer = await SearchAtProvinceAsync("分布式 胸部", SecurityLevels.Restricted);

        Assert.False(answer["partial"]!.GetValue<bool>(), answer["nodes"]!.ToJsonString());
        Assert.Equal(["hebei", "shijiazhuang", "zhengding"], Nodes(answer).Select(n => n.Node).Order(StringComparer.Ordinal));
        Assert.All(Nodes(answer), n => Assert.Equal("answered", n.Status));
        var titles = Titles(answer);
        Assert.Contains("分布式 胸部CT 省", titles);
        Assert.Contains("分布式 胸部CT 市", titles);
        Assert.Contains("分布式 胸部CT 县 公开", titles);
        Assert.Contains("分布式 胸部CT 县 受限", titles);
        // The county's pathology (不出县) and confidential (no rule) entries never cross, whatever the caller's clearance.
        Assert.DoesNotContain("分布式 胸部 病理 县", titles);
        Assert.DoesNotContain("分布式 胸部CT 县 机密", titles);
        Assert.Equal(titles.Count, answer["total"]!.GetValue<long>());
        Assert.Equal(titles.Count, answer["facets"]!["node"]!.AsArray().Sum(f => f!["count"]!.GetValue<long>()));

        // A caller with clearance internal sees less everywhere: the clearance travels with the query.
        var narrow = Titles(await SearchAtProvinceAsync("分布式 胸部", SecurityLevels.Internal));
        Assert.DoesNotContain("分布式 胸部CT 县 受限", narrow);
        Assert.Contains("分布式 胸部CT 县 公开", narrow);
    }

    [Fact]
    public async Task A_stopped_or_silent_county_makes_the_answer_partial_within_the_deadline_and_names_it()
    {
        await SeedAsync();
        Assert.False((await SearchAtProvinceAsync("分布式 胸部", SecurityLevels.Restricted))["partial"]!.GetValue<bool>(), "all three answer before the county stops");
        // Stopped: nothing listens on the county's gateway port.
        _hosts.Remove(_gateways["zhengding"]);
        await _gateways["zhengding"].DisposeAsync();
        var watch = Stopwatch.StartNew();
        var down = await SearchAtProvinceAsync("分布式 胸部", SecurityLevels.Restricted);
        Assert.True(watch.Elapsed < WithinDeadline, $"took {watch.Elapsed}");
        Assert.True(down["partial"]!.GetValue<bool>(), down["nodes"]!.ToJsonString());
        Assert.True(Nodes(down).Any(n => n.Node == "zhengding"), down["nodes"]!.ToJsonString());
        var county = Nodes(down).Single(n => n.Node == "zhengding");
        Assert.Equal("failed", county.Status);
        Assert.NotNull(county.Error);
        Assert.Contains("分布式 胸部CT 市", Titles(down));
        Assert.Equal("answered", Nodes(down).Single(n => n.Node == "shijiazhuang").Status);

        // Silent: a listener that accepts and never answers. The city gives up at its deadline; the province still answers.
        using var silent = new TcpListener(IPAddress.Loopback, _gatewayPorts["zhengding"]);
        silent.Start();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () => { while (true) held.Add(await silent.AcceptTcpClientAsync()); });
        watch.Restart();
        var hung = await SearchAtProvinceAsync("分布式 胸部", SecurityLevels.Restricted);
        Assert.True(watch.Elapsed < WithinDeadline, $"took {watch.Elapsed}");
        Assert.True(hung["partial"]!.GetValue<bool>(), hung["nodes"]!.ToJsonString());
        Assert.Equal("timed-out", Nodes(hung).Single(n => n.Node == "zhengding").Status);
        silent.Stop();
        foreach (var c in held) c.Dispose();
    }

    [Fact]
    public async Task A_query_id_seen_before_is_refused_as_a_loop_and_the_hop_count_is_checked()
    {
        using var peer = await PeerClientAsync("shijiazhuang", "hebei");
        var id = Guid.NewGuid().ToString("N");
        using var first = await peer.SendAsync(PeerRequest(id, "1"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var again = await peer.SendAsync(PeerRequest(id, "1"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("X-Medcat-Query-Id", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var deep = await peer.SendAsync(PeerRequest(Guid.NewGuid().ToString("N"), "9"));
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        Assert.Contains("X-Medcat-Hops", await deep.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage PeerRequest(string queryId, string hops)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/directory/search?q=%E5%88%86%E5%B8%83%E5%BC%8F&mode=distributed");
        request.Headers.Add("X-Medcat-Query-Id", queryId);
        request.Headers.Add("X-Medcat-Hops", hops);
        return request;
    }

    private async Task<HttpClient> PeerClientAsync(string node, string asNode)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_gatewayPorts[node]}") };
        var token = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = $"peer-{asNode}", ["client_secret"] = PeerSecret,
        }));
        var body = await token.Content.ReadFromJsonAsync<JsonObject>();
        return client.WithToken(body!["access_token"]!.GetValue<string>());
    }

    private async Task<JsonObject> SearchAtProvinceAsync(string q, string clearance)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_gatewayPorts["hebei"]}"), Timeout = TimeSpan.FromSeconds(30) }
            .WithToken(TestTokens.CreateScoped(_nodes["hebei"], "researcher-1", clearance, null, Roles.Researcher));
        var response = await client.GetAsync($"/api/directory/search?q={Uri.EscapeDataString(q)}&mode=distributed&limit=50&facets=node");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
    }

    private static List<string> Titles(JsonObject answer) => [.. answer["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>())];

    private static List<(string Node, string Status, string? Error)> Nodes(JsonObject answer) =>
        [.. answer["nodes"]!.AsArray().Select(n => (n!["node"]!.GetValue<string>(), n["status"]!.GetValue<string>(), n["error"]?.GetValue<string>()))];

    private async Task SeedAsync()
    {
        await PublishAsync("hebei", "分布式 胸部CT 省");
        await PublishAsync("shijiazhuang", "分布式 胸部CT 市");
        await PublishAsync("zhengding", "分布式 胸部CT 县 公开");
        await PublishAsync("zhengding", "分布式 胸部CT 县 受限", security: SecurityLevels.Restricted);
        await PublishAsync("zhengding", "分布式 胸部CT 县 机密", security: SecurityLevels.Confidential);
        await PublishAsync("zhengding", "分布式 胸部 病理 县", classification: "7.1.1");
    }

    private async Task PublishAsync(string node, string title, string security = SecurityLevels.Public, string classification = "2.2.1")
    {
        var e = new ResourcePublished
        {
            OriginNode = node, ResourceId = Guid.CreateVersion7(), RecordVersion = 1, Actor = "publisher", Title = title, Format = "DICOM",
            SecurityClassification = security, ClassificationCode = classification, Modalities = ["CT"], BodyParts = ["CHEST"],
            Institution = _nodes[node].Node["institutions"]!.AsArray()[0]!["code"]!.GetValue<string>(),
        };
        await using var scope = _directories[node].Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        await scope.ServiceProvider.GetRequiredService<CatalogWriter>().ApplyAsync(e, CancellationToken.None);
        await db.SaveChangesAsync();
        // The search index catches up with the read model through its feeder.
        await FederationTree.WaitUntilAsync(async () =>
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_gatewayPorts[node]}") }
                .WithToken(TestTokens.CreateScoped(_nodes[node], "admin-1", SecurityLevels.Confidential, null, Roles.Admin));
            var hits = await client.GetFromJsonAsync<JsonObject>($"/api/directory/search?q={Uri.EscapeDataString(title)}&mode=centralised&limit=50");
            return hits!["items"]!.AsArray().Any(i => i!["resourceId"]!.GetValue<Guid>() == e.ResourceId);
        }, $"'{title}' is searchable at {node}");
    }

    private void StartGateway(string id) => _gateways[id] = Start(new ServiceFactory<GatewayMarker>(_nodes[id]), _gatewayPorts[id]);

    private int Port(string node, string service) => new Uri(_nodes[node].Node["endpoints"]![service]!.GetValue<string>()).Port;

    private ServiceFactory<T> Start<T>(ServiceFactory<T> factory, int port) where T : class
    {
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        _hosts.Add(factory);
        return factory;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
