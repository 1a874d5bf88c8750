using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using Npgsql;

namespace MedImaging.TestSupport;

/// <summary>
/// An isolated node for one test class: its own PostgreSQL database, its own RabbitMQ virtual host, a temporary
/// copy of a tier file naming them, a fresh signing key (the gateway's) and the JWKS of its public half (the services').
/// Every host the class starts shares it, as the hosts of a real node share theirs. Dropped again on dispose.
/// </summary>
public sealed class NodeTestEnvironment : IAsyncDisposable
{
    private NodeTestEnvironment(TestServers servers, string database, string vhost, string directory, string tierFile)
    {
        Servers = servers;
        Database = database;
        Vhost = vhost;
        Directory = directory;
        TierFile = tierFile;
    }

    public TestServers Servers { get; }
    public string Database { get; }
    public string Vhost { get; }
    public string Directory { get; }
    public string TierFile { get; }
    /// <summary>The node's private signing key: the gateway's (and <see cref="TestTokens"/>', which sign as it would).</summary>
    public string SigningKeyPath => Path.Combine(Directory, "signing.pem");

    /// <summary>The JWKS the services validate with, as the gateway publishes it (Auth:PublicKeysPath).</summary>
    public string PublicKeysPath => Path.Combine(Directory, "jwks.json");

    /// <summary>The secret of the service client svc-registration (the gateway's --seed-service-clients would write it).</summary>
    public string RegistrationClientSecret { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    /// <summary>The secret of the service client svc-directory (Directory's token for Registration's feed, ADR 0024).</summary>
    public string DirectoryClientSecret { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    public JsonObject Node => JsonNode.Parse(File.ReadAllText(TierFile))!.AsObject();

    /// <summary>Creates the database, vhost, tier file (from deploy/tiers/{template}.json, optionally edited) and key.</summary>
    public static async Task<NodeTestEnvironment> CreateAsync(string template = "hebei", Action<JsonObject>? editNode = null)
    {
        var servers = await TestServers.GetAsync();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var database = $"medcat_t_{suffix}";
        var vhost = $"medcat-t-{suffix}";
        var directory = System.IO.Directory.CreateTempSubdirectory("medcat-test-").FullName;

        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "tiers", template + ".json")))!.AsObject();
        node["database"] = database;
        node["vhost"] = vhost;
        editNode?.Invoke(node);
        var tierFile = Path.Combine(directory, template + ".json");
        await File.WriteAllTextAsync(tierFile, node.ToJsonString());
        NodeSigningKey.EnsureExists(Path.Combine(directory, "signing.pem"));
        NodeJwks.Write(Path.Combine(directory, "jwks.json"), [NodeSigningKey.Load(Path.Combine(directory, "signing.pem"))]);

        await using (var conn = new NpgsqlConnection(servers.PostgresAdmin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        using var mgmt = ManagementClient(servers);
        (await mgmt.PutAsync($"api/vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        (await mgmt.PutAsync($"api/permissions/{vhost}/{servers.RabbitUser}",
            new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        return new NodeTestEnvironment(servers, database, vhost, directory, tierFile);
    }

    /// <summary>
    /// The configuration a service of this node needs, as a host started by deploy/local/up.sh gets it: the public keys
    /// only, never the signing key.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Node:ConfigFile"] = TierFile,
        ["Auth:PublicKeysPath"] = PublicKeysPath,
        ["ConnectionStrings:Postgres"] = Servers.Postgres,
        ["ConnectionStrings:RabbitMq"] = Servers.RabbitMq.ToString(),
        ["ConnectionStrings:Redis"] = Servers.Redis,
        ["Database:MigrateOnStartup"] = "true",
        ["Outbox:PollInterval"] = "00:00:00.200",
    };

    /// <summary>The gateway's configuration: a service's, plus the signing key it alone holds.</summary>
    public IReadOnlyDictionary<string, string?> GatewaySettings => SettingsFor("gateway");

    /// <summary>Registration's service-client credentials (Auth:ClientId, Auth:ClientSecret), as up.sh gives them.</summary>
    public IReadOnlyDictionary<string, string?> RegistrationClientSettings => new Dictionary<string, string?>
    {
        ["Auth:ClientId"] = "svc-registration",
        ["Auth:ClientSecret"] = RegistrationClientSecret,
    };

    /// <summary>Directory's service-client credentials (Auth:ClientId, Auth:ClientSecret), as up.sh gives them.</summary>
    public IReadOnlyDictionary<string, string?> DirectoryClientSettings => new Dictionary<string, string?>
    {
        ["Auth:ClientId"] = "svc-directory",
        ["Auth:ClientSecret"] = DirectoryClientSecret,
    };

    /// <summary>
    /// The configuration of one service's host (gateway, registration …), as deploy/local/up.sh gives it: ConnectionStrings:Postgres
    /// logs in as the service's own run-time role, and the migration at start-up gets the administrative connection to create
    /// that role (docs/adr/0022).
    /// </summary>
    /// Only the gateway gets the private signing key, only Registration and Directory their service clients' credentials (ADR 0003).
    public IReadOnlyDictionary<string, string?> SettingsFor(string service)
    {
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["ConnectionStrings:Postgres"] = RunTimeConnectionString(service, database: null),
            ["ConnectionStrings:PostgresAdmin"] = Servers.Postgres,
        };
        if (service == "gateway") settings["Auth:SigningKeyPath"] = SigningKeyPath;
        if (service == "registration")
            foreach (var (key, value) in RegistrationClientSettings) settings[key] = value;
        if (service == "directory")
            foreach (var (key, value) in DirectoryClientSettings) settings[key] = value;
        return settings;
    }

    /// <summary>Logs in to this node's database as <paramref name="service"/>'s run-time role (its host must have migrated once).</summary>
    public string RunTimeConnectionString(string service) => RunTimeConnectionString(service, Database);

    private string RunTimeConnectionString(string service, string? database) => new Npgsql.NpgsqlConnectionStringBuilder(Servers.Postgres)
    {
        Database = database,
        Username = $"{Database}_{service}",
        Password = _rolePasswords.GetOrAdd(service, _ => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))),
    }.ConnectionString;

    private readonly ConcurrentDictionary<string, string> _rolePasswords = new();

    /// <summary>A connection string to this node's database, for assertions that read tables directly.</summary>
    public string PostgresConnectionString => new NpgsqlConnectionStringBuilder(Servers.Postgres) { Database = Database }.ConnectionString;

    /// <summary>The node's queues as the RabbitMQ management API reports them (name, messages, message_stats …).</summary>
    public async Task<IReadOnlyList<JsonNode>> GetQueuesAsync()
    {
        using var mgmt = ManagementClient(Servers);
        var json = JsonNode.Parse(await mgmt.GetStringAsync($"api/queues/{Vhost}"))!.AsArray();
        return [.. json.Select(q => q!)];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(Servers.PostgresAdmin);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
            // The services' roles are cluster-wide: without their database they own nothing and go too.
            await using var roles = new NpgsqlCommand("""
                SELECT string_agg(format('DROP ROLE %I', rolname), '; ') FROM pg_roles WHERE starts_with(rolname, $1)
                """, conn) { Parameters = { new() { Value = Database + "_" } } };
            if (await roles.ExecuteScalarAsync() is string drop)
            {
                await using var dropRoles = new NpgsqlCommand(drop, conn);
                await dropRoles.ExecuteNonQueryAsync();
            }
            using var mgmt = ManagementClient(Servers);
            await mgmt.DeleteAsync($"api/vhosts/{Vhost}");
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is NpgsqlException or HttpRequestException or IOException)
        {
            // Cleanup is best effort; a leftover medcat_t_* database never affects another class.
        }
    }

    private static HttpClient ManagementClient(TestServers servers)
    {
        var client = new HttpClient { BaseAddress = servers.RabbitManagement };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{servers.RabbitUser}:{servers.RabbitPassword}")));
        return client;
    }
}
