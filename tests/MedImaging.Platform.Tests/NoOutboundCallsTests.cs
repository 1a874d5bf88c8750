using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit.UsageTracking;
using MedImaging.Metadata;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Platform.Tests;

/// <summary>
/// A node runs inside a hospital or government network: its hosts talk to their own servers and to each other, and to
/// nothing else. The six built hosts run as processes under strace while they start, take a DICOM push through the
/// gateway, publish and consume a metadata set version through RabbitMQ, and stop; every connect and send to an
/// internet address is recorded, and any that is not loopback (or any DNS query) fails the test.
/// </summary>
public sealed class NoOutboundCallsTests : IAsyncLifetime
{
    private const string Strace = "/usr/bin/strace";
    private const string DicomFile = "/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm";

    private static readonly (string Service, string Project)[] Hosts =
    [
        ("gateway", "src/Gateway"), ("registration", "src/Services/Registration"), ("metadata", "src/Services/Metadata"),
        ("directory", "src/Services/Directory"), ("exchange", "src/Services/Exchange"), ("inference", "src/Services/Inference"),
    ];

    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("zhengding", n =>
    {
        // Ports of this test's own: another node's hosts may be running on this machine.
        var endpoints = new JsonObject();
        foreach (var (service, _) in Hosts) endpoints[service] = $"http://127.0.0.1:{FreePort()}";
        n["endpoints"] = endpoints;
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task HostsReachNothingButLoopbackFromStartThroughIngestAndPublicationToStop()
    {
        Assert.True(File.Exists(Strace), "strace is not installed (deploy/local/lib.sh MEDCAT_TEST_PACKAGES)");
        var traces = Path.Combine(_node.Directory, "traces");
        System.IO.Directory.CreateDirectory(traces);
        var hosts = new List<TracedHost>();
        try
        {
            // As up.sh does: the gateway seeds Registration's service client and writes its secret (not traced: a setup step).
            var clients = Path.Combine(_node.Directory, "service-clients");
            await SeedServiceClientsAsync(HostDll("src/Gateway"), clients);
            foreach (var (service, project) in Hosts) hosts.Add(TracedHost.Start(service, HostDll(project), Environment(service, clients), Path.Combine(traces, service)));
            var gateway = new Uri(_node.Node["endpoints"]!["gateway"]!.GetValue<string>());
            using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
            foreach (var (service, _) in Hosts.Skip(1)) await WaitReadyAsync(http, $"/api/{service}/health/ready", hosts);

            // Ingest through the gateway: stored, catalogued (Registration asks Metadata through the gateway), announced.
            using var adapter = Authorized(gateway, "egress-pacs", Roles.Adapter);
            using var stow = new MultipartContent("related", "egress");
            stow.Headers.ContentType!.Parameters.Add(new("type", "\"application/dicom\""));
            stow.Add(new ByteArrayContent(await File.ReadAllBytesAsync(DicomFile)) { Headers = { ContentType = new("application/dicom") } });
            var stored = await adapter.PostAsync("/dicomweb/studies", stow);
            Assert.True(stored.IsSuccessStatusCode, $"{(int)stored.StatusCode} {await stored.Content.ReadAsStringAsync()}");

            // A metadata set version published by Metadata and consumed by Directory.
            using var admin = Authorized(gateway, "egress-admin", Roles.Admin, Roles.Researcher);
            (await admin.PostAsJsonAsync("/api/metadata/sets", new { code = "egress", nameZh = "出站检查", nameEn = "Egress check" })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync("/api/metadata/sets/egress/versions", new { changeNote = "first" })).EnsureSuccessStatusCode();
            (await admin.PostAsync("/api/metadata/sets/egress/versions/1/activate", null)).EnsureSuccessStatusCode();
            await WaitUntilAsync(async () => (await admin.GetStringAsync("/api/directory/schema-versions?pageSize=500")).Contains("\"egress\"", StringComparison.Ordinal),
                "Directory consumed the version Metadata published", hosts);
            await WaitUntilAsync(AllPublishedAsync, "Registration's and Metadata's events left their outboxes", hosts);
        }
        finally
        {
            foreach (var host in hosts) await host.StopAsync();
        }

        var allowed = new HashSet<IPAddress>(ServerAddresses());
        var report = hosts.SelectMany(h => NetworkTrace.Outbound(File.ReadLines(h.TraceFile), allowed).Select(l => $"{h.Service}: {l}")).ToList();
        Assert.True(report.Count == 0, $"outbound attempts:\n{string.Join("\n", report.Take(40))}");
        // The trace did see the hosts talking to their servers and to each other.
        Assert.All(hosts, h => Assert.Contains(File.ReadLines(h.TraceFile), l => l.Contains("connect(", StringComparison.Ordinal) && l.Contains("127.0.0.1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheTraceReaderCatchesANameLookupOfTheTelemetryHost()
    {
        Assert.True(File.Exists(Strace), "strace is not installed (deploy/local/lib.sh MEDCAT_TEST_PACKAGES)");
        var trace = Path.Combine(_node.Directory, "getent.trace");
        using var lookup = Process.Start(new ProcessStartInfo(Strace, ["-f", "-qq", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-o", trace, "getent", "hosts", "usage-tracking.masstransit.io"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await lookup.WaitForExitAsync();
        Assert.NotEmpty(NetworkTrace.Outbound(File.ReadLines(trace), new HashSet<IPAddress>()));
    }

    [Fact]
    public async Task MassTransitUsageTelemetryIsOffEvenWhenTheEnvironmentAsksForIt()
    {
        System.Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "true");
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        metadata.CreateClient().Dispose();
        var tracker = Assert.IsType<UsageTracker>(metadata.Services.GetRequiredService<IUsageTracker>());
        Assert.False(tracker.Enabled, "MassTransit would report usage telemetry to an internet host");
    }

    private static string HostDll(string project)
    {
        // The test runs from tests/<project>/bin/<configuration>/<tfm>/; each host from its own project's output.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var folder = Path.Combine(RepositoryRoot.Path, project, "bin", configuration, tfm.Name);
        var dll = System.IO.Directory.GetFiles(folder, "MedImaging.*.runtimeconfig.json").Single().Replace(".runtimeconfig.json", ".dll", StringComparison.Ordinal);
        return dll;
    }

    private async Task SeedServiceClientsAsync(string gatewayDll, string directory)
    {
        var start = new ProcessStartInfo("dotnet", [gatewayDll, "--seed-service-clients", directory])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(gatewayDll)!,
        };
        foreach (var (key, value) in Environment("gateway", directory)) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"--seed-service-clients: {await output}{await errors}");
    }

    private Dictionary<string, string?> Environment(string service, string clients)
    {
        // Only the gateway holds the signing key; each host logs in as its own database role (ADR 0022); Registration and
        // Directory read their service clients' secrets from the files the gateway wrote.
        var env = _node.SettingsFor(service).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        if (service is "registration" or "directory")
        {
            env.Remove("Auth__ClientSecret");
            env["Auth__ClientId"] = $"svc-{service}";
            env["Auth__ClientSecretPath"] = Path.Combine(clients, $"{service}.secret");
        }
        env["DOTNET_ENVIRONMENT"] = env["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Production generates no keys: Registration gets its vault and pseudonym keys as an operator would give them.
        env["Registration__PhiVault__Keys__k1"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        env["Registration__PhiVault__ActiveKeyId"] = "k1";
        env["Registration__Pseudonym__Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        // And Exchange its audit key (ADR 0020), which Production does not generate either.
        var auditKey = Path.Combine(_node.Directory, "audit.pem");
        using (var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
            File.WriteAllText(auditKey, ec.ExportPkcs8PrivateKeyPem());
        env["Audit__SigningKeyPath"] = auditKey;
        // And its federation key (ADR 0032); the county's parent is not running, so nothing is sent anywhere.
        var federationKey = Path.Combine(_node.Directory, "federation.pem");
        using (var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
            File.WriteAllText(federationKey, ec.ExportPkcs8PrivateKeyPem());
        env["Federation__SigningKeyPath"] = federationKey;
        // A hostile environment: asking MassTransit for its usage report must not make a host send one.
        env["MASSTRANSIT_USAGE_TELEMETRY"] = "true";
        // MassTransit reports 5 minutes after start; the hook (StartupHook.cs) has it report at shutdown instead.
        env["DOTNET_STARTUP_HOOKS"] = typeof(NoOutboundCallsTests).Assembly.Location;
        return env;
    }

    private HttpClient Authorized(Uri gateway, string user, params string[] roles)
        => new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) }.WithToken(TestTokens.Create(_node, user, roles));

    private async Task<bool> AllPublishedAsync()
    {
        await using var conn = new Npgsql.NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        foreach (var schema in new[] { "registration", "metadata" })
        {
            await using var cmd = new Npgsql.NpgsqlCommand($"SELECT count(*), count(*) FILTER (WHERE sent_at IS NULL) FROM {schema}.outbox_messages", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            if (reader.GetInt64(0) == 0 || reader.GetInt64(1) > 0) return false;
        }
        return true;
    }

    private IEnumerable<IPAddress> ServerAddresses()
    {
        // Where the test servers are not on loopback (Testcontainers), their addresses are the node's own too.
        var hosts = new[] { new Npgsql.NpgsqlConnectionStringBuilder(_node.Servers.Postgres).Host, _node.Servers.RabbitMq.Host, _node.Servers.Redis.Split(',')[0].Split(':')[0] };
        return hosts.Select(h => IPAddress.TryParse(h, out var a) ? a : null).OfType<IPAddress>();
    }

    private static async Task WaitReadyAsync(HttpClient http, string path, List<TracedHost> hosts)
        => await WaitUntilAsync(async () =>
        {
            try { return (await http.GetAsync(path)).StatusCode == HttpStatusCode.OK; }
            catch (HttpRequestException) { return false; }
        }, $"{path} answers 200", hosts);

    // A deadline for things that happen in the background, never a measured duration: generous, because six hosts start
    // under strace on a shared two-core machine.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, List<TracedHost> hosts)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || hosts.Any(h => h.HasExited))
                Assert.Fail($"not reached: {what}\n{string.Join("\n", hosts.Select(h => h.Describe()))}");
            await Task.Delay(500);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
