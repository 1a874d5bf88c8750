using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MassTransit;
using MedImaging.Contracts.Registration;
using MedImaging.Directory;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// Three nodes of the shipped tier files on the real servers — province hebei, city shijiazhuang, county zhengding —
/// each with its own database and vhost, an Exchange host, and (city and province) a Directory host; their links are
/// the shovels deploy/local/links.sh configures from the tier files, as a deployment does (ADR 0032).
/// </summary>
public sealed class FederationTree : IAsyncDisposable
{
    private readonly string _shared;

    private FederationTree(string shared, FederatedNode province, FederatedNode city, FederatedNode county)
    {
        _shared = shared;
        Province = province;
        City = city;
        County = county;
    }

    public FederatedNode Province { get; }
    public FederatedNode City { get; }
    public FederatedNode County { get; }
    public IEnumerable<FederatedNode> Nodes => [County, City, Province];

    /// <summary>The folder of the three nodes' tier files, as links.sh reads them.</summary>
    public string TierDirectory => Path.Combine(_shared, "tiers");

    /// <summary>The folder the nodes publish their federation public keys into and read each other's from.</summary>
    public string PeerKeys => Path.Combine(_shared, "federation-keys");

    /// <param name="edit">Changes to a node's tier file (node id, file) before its hosts start.</param>
    public static async Task<FederationTree> CreateAsync(Action<string, JsonObject>? edit = null)
    {
        var shared = System.IO.Directory.CreateTempSubdirectory("medcat-federation-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(shared, "tiers"));
        var nodes = new List<FederatedNode>();
        foreach (var (id, directory) in new[] { ("zhengding", false), ("shijiazhuang", true), ("hebei", true) })
        {
            var env = await NodeTestEnvironment.CreateAsync(id, n =>
            {
                // The city's other county has no node here; its queue simply fills.
                edit?.Invoke(id, n);
            });
            File.Copy(env.TierFile, Path.Combine(shared, "tiers", id + ".json"));
            nodes.Add(new FederatedNode(id, env, Path.Combine(shared, "federation-keys"), directory));
        }
        var tree = new FederationTree(shared, nodes[2], nodes[1], nodes[0]);
        foreach (var node in tree.Nodes) await node.StartAsync();
        await tree.LinksAsync("up");
        return tree;
    }

    /// <summary>Runs deploy/local/links.sh up|down|status over this tree's tier files and the test broker.</summary>
    public async Task<string> LinksAsync(string command)
    {
        var servers = Province.Env.Servers;
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "deploy", "local", "links.sh"), command, TierDirectory])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                ["MEDCAT_RABBITMQ_MANAGEMENT"] = servers.RabbitManagement.ToString().TrimEnd('/'),
                ["MEDCAT_RABBITMQ_USER"] = servers.RabbitUser,
                ["MEDCAT_RABBITMQ_PASSWORD"] = servers.RabbitPassword,
                ["MEDCAT_AMQP_PORT_OVERRIDE"] = servers.RabbitMq.Port.ToString(CultureInfo.InvariantCulture),
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"links.sh {command} failed: {await output}{await error}");
        return await output;
    }

    /// <param name="onTimeout">What to add to the failure message (the state the test was waiting on).</param>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 60, Func<Task<string?>>? onTimeout = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        Assert.Fail($"Timed out waiting until {what}. {(onTimeout is null ? "" : await onTimeout())}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        try { System.IO.Directory.Delete(_shared, recursive: true); }
        catch (IOException) { /* best effort */ }
    }
}

/// <summary>One node of a <see cref="FederationTree"/>: its environment, Exchange host and (optionally) Directory host.</summary>
public sealed class FederatedNode(string nodeId, NodeTestEnvironment env, string peerKeys, bool withDirectory) : IAsyncDisposable
{
    public string NodeId => nodeId;
    public NodeTestEnvironment Env => env;
    public ServiceFactory<ExchangeServiceMarker> Exchange { get; private set; } = null!;
    public ServiceFactory<DirectoryServiceMarker>? Directory { get; private set; }

    public IReadOnlyDictionary<string, string?> ExchangeSettings => new Dictionary<string, string?>
    {
        ["Federation:PeerKeysPath"] = peerKeys,
        ["Audit:AnchorInterval"] = "01:00:00",
    };

    public async Task StartAsync()
    {
        Exchange = new ServiceFactory<ExchangeServiceMarker>(env, ExchangeSettings);
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await Exchange.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
        if (!withDirectory) return;
        Directory = new ServiceFactory<DirectoryServiceMarker>(env);
        await Directory.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
    }

    /// <summary>Stops the Exchange host, lets the test change the node's tier file, and starts it again.</summary>
    public async Task RestartExchangeAsync(Action<JsonObject>? edit = null)
    {
        await Exchange.DisposeAsync();
        if (edit is not null)
        {
            var node = JsonNode.Parse(await File.ReadAllTextAsync(env.TierFile))!.AsObject();
            edit(node);
            await File.WriteAllTextAsync(env.TierFile, node.ToJsonString());
        }
        Exchange = new ServiceFactory<ExchangeServiceMarker>(env, ExchangeSettings);
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await Exchange.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
    }

    /// <summary>Publishes a catalogue fact on this node's bus, as its Registration's outbox relay does.</summary>
    public Task PublishAsync<T>(T fact) where T : class => Exchange.Services.GetRequiredService<IBus>().Publish(fact);

    /// <summary>A publication of a new entry of this node; change what the test is about.</summary>
    public ResourcePublished Published(string title, string security = "public", string classification = "2.2.1", string? pseudonym = null) => new()
    {
        OriginNode = nodeId, ResourceId = Guid.CreateVersion7(), RecordVersion = 1, Actor = "publisher", Title = title, Format = "DICOM",
        SecurityClassification = security, ClassificationCode = classification, Modalities = ["CT"], BodyParts = ["CHEST"],
        StudyDate = new DateOnly(2025, 3, 14), PatientPseudonym = pseudonym ?? Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
        Institution = env.Node["institutions"]!.AsArray()[0]!["code"]!.GetValue<string>(),
        Values = new Dictionary<string, string> { ["title"] = title },
    };

    /// <summary>The entry's row in this node's Directory read model: (state, title, version, pseudonym, path, shared as), or null.</summary>
    public async Task<CatalogRow?> EntryAsync(Guid id)
    {
        await using var conn = new NpgsqlConnection(env.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT state, title, record_version, patient_pseudonym, replication_path, shared_as, origin_node
            FROM directory.catalog_entries WHERE resource_id = $1
            """, conn) { Parameters = { new() { Value = id } } };
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        return new CatalogRow(r.GetString(0), r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetFieldValue<string[]>(4),
            r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6));
    }

    public async Task<string?> TextAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(env.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return (await cmd.ExecuteScalarAsync())?.ToString();
    }

    public async Task<long> CountAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(env.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (Directory is not null) await Directory.DisposeAsync();
        if (Exchange is not null) await Exchange.DisposeAsync();
        await env.DisposeAsync();
    }
}

public sealed record CatalogRow(string State, string Title, int Version, string? Pseudonym, string[] Path, string? SharedAs, string Origin)
{
    public bool Visible => State == "Published";
}
