using System.Diagnostics;
using MedImaging.Ingest.Bench;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Bench.Benchmark;

/// <summary>
/// The Directory host from its build output as a real process (Production environment, migrations at start) on a
/// throwaway node: its own database, vhost and tier file, with the directory endpoint on a free loopback port.
/// </summary>
public static class DirectoryServer
{
    public static async Task<(NodeTestEnvironment Node, ChildProcess Process, Uri Url)> StartAsync(string directory, string configuration,
        Action<NodeTestEnvironment> created, CancellationToken ct)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "src", "Services", "Directory", "bin", configuration, "net10.0", "MedImaging.Directory.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build src/Services/Directory -c {configuration}");
        var url = new Uri($"http://127.0.0.1:{ChildProcess.FreeLoopbackPort()}/");
        var node = await NodeTestEnvironment.CreateAsync(editNode: n => n["endpoints"]!["directory"] = url.AbsoluteUri.TrimEnd('/'));
        created(node);
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, WorkingDirectory = Path.GetDirectoryName(dll)! };
        // The node's settings as a test host gets them, less the tests' fast outbox polling: the production default applies.
        foreach (var (key, value) in node.SettingsFor("directory").Where(s => s.Key != "Outbox:PollInterval"))
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = url.AbsoluteUri.TrimEnd('/');
        var process = new ChildProcess(start, Path.Combine(directory, "directory.log"));
        await process.WaitReadyAsync(new Uri(url, "health/ready"), TimeSpan.FromSeconds(120), ct);
        return (node, process, url);
    }
}
