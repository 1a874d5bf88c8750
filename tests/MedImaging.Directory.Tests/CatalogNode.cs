using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MedImaging.Directory.Search;
using MedImaging.Gateway;
using MedImaging.Gateway.Identity;
using MedImaging.Metadata;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Node;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedImaging.Directory.Tests;

/// <summary>
/// A whole node on the real servers, each host on Kestrel at the loopback port its tier file names, as up.sh runs them:
/// gateway (tokens, routes), Metadata, Registration and Directory. Registration calls Metadata and Directory reads
/// Registration's feed through the gateway over HTTP, each with its own service client's token (svc-registration,
/// svc-directory) from the gateway's /connect/token. Entries are published through Registration's workflow API; facts
/// reach Directory through RabbitMQ.
/// </summary>
public sealed class CatalogNode : IAsyncLifetime
{
    /// <summary>The first institution of hebei.json.</summary>
    public const string InstitutionA = "121300004017055782";

    public const string OtherNode = "zanhuang";

    /// <summary>The feed's page size for the rebuild: small, so that a handful of entries take several pages.</summary>
    public const int RebuildPageSize = 2;

    private readonly List<IAsyncDisposable> _hosts = [];

    public NodeTestEnvironment Node { get; private set; } = null!;
    public ServiceFactory<GatewayMarker> Gateway { get; private set; } = null!;
    public ServiceFactory<RegistrationServiceMarker> Registration { get; private set; } = null!;
    public ServiceFactory<DirectoryServiceMarker> Directory { get; private set; } = null!;
    public Uri GatewayUrl { get; private set; } = null!;
    public Uri RegistrationUrl { get; private set; } = null!;
    public Uri DirectoryUrl { get; private set; } = null!;
    public string NodeId => Node.Node["nodeId"]!.GetValue<string>();

    public async Task InitializeAsync()
    {
        Node = await NodeTestEnvironment.CreateAsync(editNode: n =>
        {
            // Ports of this test's own: another node's hosts may run on this machine.
            var endpoints = new JsonObject();
            foreach (var service in new[] { ServiceNames.Gateway, ServiceNames.Registration, ServiceNames.Metadata, ServiceNames.Directory, ServiceNames.Exchange, ServiceNames.Inference })
                endpoints[service] = $"http://127.0.0.1:{FreePort()}";
            n["endpoints"] = endpoints;
        });
        GatewayUrl = Endpoint(ServiceNames.Gateway);
        RegistrationUrl = Endpoint(ServiceNames.Registration);
        DirectoryUrl = Endpoint(ServiceNames.Directory);

        Gateway = Start(new ServiceFactory<GatewayMarker>(Node), ServiceNames.Gateway);
        // What the gateway's --seed-service-clients does, with the secrets the hosts are given.
        foreach (var client in ServiceClients.All)
        {
            var secret = client.ClientId == ServiceClients.DirectoryClientId ? Node.DirectoryClientSecret : Node.RegistrationClientSecret;
            await GatewaySeeder.EnsureClientAsync(Gateway.Services, client.ClientId, secret, client.Roles, client.Clearance);
        }
        Start(new ServiceFactory<MetadataServiceMarker>(Node), ServiceNames.Metadata);
        Registration = Start(new ServiceFactory<RegistrationServiceMarker>(Node), ServiceNames.Registration);
        Directory = Start(new ServiceFactory<DirectoryServiceMarker>(Node, new Dictionary<string, string?>
        {
            ["Directory:Rebuild:PageSize"] = RebuildPageSize.ToString(CultureInfo.InvariantCulture),
        }), ServiceNames.Directory);
        // Directory's queues exist before the first fact is published (--migrate declares them on a real node).
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await Directory.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts)) await host.DisposeAsync();
        await Node.DisposeAsync();
    }

    private Uri Endpoint(string service) => new(Node.Node["endpoints"]![service]!.GetValue<string>());

    private ServiceFactory<T> Start<T>(ServiceFactory<T> factory, string service) where T : class
    {
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, Endpoint(service).Port));
        factory.StartServer();
        _hosts.Add(factory);
        return factory;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A client of a host's real HTTP address with a token of this node.</summary>
    public static HttpClient Client(Uri host, string token) => new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(100) }.WithToken(token);

    public HttpClient Registrar(string user, params string[] roles) => Client(RegistrationUrl, TestTokens.Create(Node, user, roles));

    /// <summary>
    /// A dataset catalogued by hand for institution A and taken through register, approve and publish by three people; its id.
    /// </summary>
    public async Task<Guid> PublishAsync(string title, string classification = SecurityLevels.Public, string institution = InstitutionA)
    {
        var created = await Registrar("cataloguer-1", Roles.Cataloguer).PostAsJsonAsync("/resources", new { kind = "dataset", values = Dataset(title, classification), institution });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = Guid.Parse(JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.ToString());
        await ApproveAndPublishAsync(id);
        return id;
    }

    /// <summary>Register (as cataloguer), approve (as reviewer) and publish (as publisher) a catalogued entry.</summary>
    public async Task ApproveAndPublishAsync(Guid id)
    {
        await StepAsync(id, "register", Registrar("cataloguer-1", Roles.Cataloguer));
        await StepAsync(id, "approve", Registrar("reviewer-1", Roles.Reviewer));
        await StepAsync(id, "publish", Registrar("publisher-1", Roles.Publisher));
    }

    public static async Task StepAsync(Guid id, string verb, HttpClient client, object? body = null)
    {
        var response = await client.PostAsJsonAsync($"/resources/{id}/{verb}", body ?? new { });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{verb} {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static Dictionary<string, string> Dataset(string title, string level) => new()
    {
        ["resourceTitle"] = title,
        ["categoryCode"] = "2.2.1",
        ["keyword"] = "肺结节;低剂量CT",
        ["abstract"] = "低剂量胸部CT筛查的去标识化体数据与结节标注。",
        ["dataFormat"] = "NIfTI;CSV",
        ["onlineResourceLink"] = "https://data.example.cn/datasets/lung-ldct",
        ["securityClassification"] = level,
    };

    /// <summary>What the directory's search finds for <paramref name="text"/>, as a node-wide confidential caller.</summary>
    public async Task<CatalogHits> SearchAsync(string text)
    {
        await using var scope = Directory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ICatalogSearch>().SearchAsync(new CatalogQuery { Text = text },
            new CallerScope(SecurityLevels.Confidential, NodeId, null), new CatalogPage(), CancellationToken.None);
    }

    /// <summary>Waits (up to 90 s: hosts and broker share two cores with other tests) until the search answers as wanted.</summary>
    public async Task<CatalogHits> WaitForSearchAsync(string text, Func<CatalogHits, bool> wanted, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var hits = await SearchAsync(text);
            if (wanted(hits)) return hits;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting until {what}; the search for '{text}' found {hits.Total}: {string.Join(", ", hits.Items.Select(i => $"{i.Entry.Title} v{i.Entry.RecordVersion}"))}");
            await Task.Delay(250);
        }
    }

    public async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<long> CountAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

[CollectionDefinition(Name)]
public sealed class CatalogNodeGroup : ICollectionFixture<CatalogNode>
{
    public const string Name = "catalog node";
}
