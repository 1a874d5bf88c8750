using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Ingest.Bench;

/// <summary>Debian's Orthanc with a configuration of the run's own: loopback-only HTTP, no DICOM port, no auth.</summary>
public static class OrthancServer
{
    private static readonly string[] Candidates = ["/usr/sbin/Orthanc", "/usr/bin/Orthanc"];
    public const string DicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

    public static async Task<(ChildProcess Process, Uri Url)> StartAsync(string directory, CancellationToken ct)
    {
        var binary = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Orthanc is not installed: apt-get update && apt-get install -y orthanc");
        var port = ChildProcess.FreeLoopbackPort();
        var config = new JsonObject
        {
            ["Name"] = "medcat-ingest-bench",
            ["HttpPort"] = port,
            ["DicomServerEnabled"] = false,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["StorageDirectory"] = Path.Combine(directory, "storage"),
            ["IndexDirectory"] = Path.Combine(directory, "index"),
            ["DefaultEncoding"] = "Utf8",
            ["KeepAlive"] = true,
            ["TcpNoDelay"] = true,
            ["SaveJobs"] = false,
            // Debian's DICOMweb plugin, when installed, gives Orthanc a STOW-RS endpoint: the same protocol as ours.
            ["Plugins"] = File.Exists(DicomWebPlugin) ? new JsonArray(DicomWebPlugin) : new JsonArray(),
            ["DicomWeb"] = new JsonObject { ["Enable"] = true, ["Root"] = "/dicom-web/" },
        };
        var configPath = Path.Combine(directory, "orthanc.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(), ct);
        var process = new ChildProcess(new ProcessStartInfo(binary) { ArgumentList = { configPath }, WorkingDirectory = directory }, Path.Combine(directory, "orthanc.log"));
        var url = new Uri($"http://127.0.0.1:{port}/");
        await process.WaitReadyAsync(new Uri(url, "system"), TimeSpan.FromSeconds(60), ct);
        return (process, url);
    }

    public static string Version() => Process.Start(new ProcessStartInfo("dpkg-query", "-W -f=${Version} orthanc") { RedirectStandardOutput = true })
        ?.StandardOutput.ReadToEnd() is { Length: > 0 } v ? v : "?";
}

/// <summary>
/// The Registration host from its build output as a real process (Production environment, explicit random PHI and
/// pseudonym keys, migrations at start) on a throwaway node: its own database, vhost and tier file, with the
/// registration endpoint moved to a free loopback port.
/// </summary>
public static class RegistrationServer
{
    /// <param name="auditTrail">Also run the node's Exchange host, which appends every audit event Registration emits (one per
    /// request) to its hash chain while the load runs: the node as deployed. Without it the events wait in RabbitMQ.</param>
    public static async Task<(NodeTestEnvironment Node, ChildProcess Process, Uri Url, string Token, ChildProcess? Exchange)> StartAsync(string directory,
        string configuration, Action<NodeTestEnvironment> created, bool auditTrail, CancellationToken ct)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "src", "Services", "Registration", "bin", configuration, "net10.0", "MedImaging.Registration.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build src/Services/Registration -c {configuration}");
        var port = ChildProcess.FreeLoopbackPort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var exchangeUrl = new Uri($"http://127.0.0.1:{ChildProcess.FreeLoopbackPort()}/");
        var node = await NodeTestEnvironment.CreateAsync(editNode: n =>
        {
            n["endpoints"]!["registration"] = url.AbsoluteUri.TrimEnd('/');
            n["endpoints"]!["exchange"] = exchangeUrl.AbsoluteUri.TrimEnd('/');
        });
        created(node);
        // First, so that its queue is bound before Registration publishes anything.
        var exchange = auditTrail ? await StartExchangeAsync(node, directory, configuration, exchangeUrl, ct) : null;
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, WorkingDirectory = Path.GetDirectoryName(dll)! };
        // The node's settings as a test host gets them, less the tests' fast outbox polling: the production default applies.
        foreach (var (key, value) in node.SettingsFor("registration").Where(s => s.Key != "Outbox:PollInterval"))
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = url.AbsoluteUri.TrimEnd('/');
        start.Environment["Registration__PhiVault__Keys__bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        start.Environment["Registration__PhiVault__ActiveKeyId"] = "bench";
        start.Environment["Registration__Pseudonym__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // --sql-log: every EF command with its duration in registration.log (kept by --keep-logs), for counting round trips.
        if (Environment.GetEnvironmentVariable("MEDCAT_BENCH_SQL_LOG") == "1")
            start.Environment["Serilog__MinimumLevel__Override__Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
        var process = new ChildProcess(start, Path.Combine(directory, "registration.log"));
        await process.WaitReadyAsync(new Uri(url, "health/ready"), TimeSpan.FromSeconds(90), ct);
        return (node, process, url, TestTokens.Create(node, "bench-adapter", Roles.Adapter), exchange);
    }

    private static async Task<ChildProcess> StartExchangeAsync(NodeTestEnvironment node, string directory, string configuration, Uri url, CancellationToken ct)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "src", "Services", "Exchange", "bin", configuration, "net10.0", "MedImaging.Exchange.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build src/Services/Exchange -c {configuration}");
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var (key, value) in node.SettingsFor("exchange").Where(s => s.Key != "Outbox:PollInterval"))
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = url.AbsoluteUri.TrimEnd('/');
        var auditKey = Path.Combine(directory, "audit-key.pem");
        using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            await File.WriteAllTextAsync(auditKey, ec.ExportPkcs8PrivateKeyPem(), ct);
        start.Environment["Audit__SigningKeyPath"] = auditKey;
        var process = new ChildProcess(start, Path.Combine(directory, "exchange.log"));
        await process.WaitReadyAsync(new Uri(url, "health/ready"), TimeSpan.FromSeconds(90), ct);
        return process;
    }
}
