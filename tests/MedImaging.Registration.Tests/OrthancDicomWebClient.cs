using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Debian's Orthanc with its DICOMweb plugin, used as an unchanged DICOMweb client: its configuration names one remote
/// DICOMweb server, <c>medcat</c>, with an Authorization header. It runs on a configuration of the test's own in a
/// temporary folder: no DICOM port, loopback-only HTTP (RemoteAccessAllowed false; Orthanc 1.10 has no bind address),
/// HTTP Basic with a random password on top, UTF-8 as default encoding. Disposing kills it by its PID and deletes the folder.
/// </summary>
public sealed class OrthancDicomWebClient : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/Orthanc";
    public const string Plugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";
    public const string ServerName = "medcat";

    /// <summary>Why the test cannot run here, or null when Orthanc and its DICOMweb plugin are installed.</summary>
    public static string? Missing => File.Exists(Binary) && File.Exists(Plugin) ? null
        : $"Orthanc or its DICOMweb plugin is not installed ({Binary}, {Plugin}): apt-get install -y orthanc orthanc-dicomweb";

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _directory;

    private OrthancDicomWebClient(Process process, string directory, Uri url, string password)
    {
        _process = process;
        _directory = directory;
        BaseAddress = url;
        Password = password;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes(User + ":" + password)));
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>Password of Orthanc's HTTP user <see cref="User"/> (for clients of its DICOMweb server).</summary>
    public string Password { get; }

    public const string User = "medcat-test";

    /// <summary>Orthanc's own REST API, authenticated.</summary>
    public HttpClient Http { get; }

    /// <summary>The last lines Orthanc wrote, for failure messages.</summary>
    public string LogTail
    {
        get
        {
            lock (_log) return _log.Length <= 6000 ? _log.ToString() : _log.ToString(_log.Length - 6000, 6000);
        }
    }

    /// <summary>The free loopback port Orthanc will listen on (chosen before starting, so the other side can name it).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts Orthanc on <paramref name="port"/> with <c>medcat</c> = <paramref name="dicomWebRoot"/> + a bearer token.</summary>
    public static async Task<OrthancDicomWebClient> StartAsync(int port, Uri dicomWebRoot, string bearerToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("medcat-orthanc-").FullName;
        Process? process = null;
        try
        {
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var config = new JsonObject
            {
                ["Name"] = "medcat-interop-test",
                ["HttpPort"] = port,
                ["DicomServerEnabled"] = false,
                ["RemoteAccessAllowed"] = false,
                ["AuthenticationEnabled"] = true,
                ["RegisteredUsers"] = new JsonObject { [User] = password },
                ["StorageDirectory"] = Path.Combine(directory, "storage"),
                ["IndexDirectory"] = Path.Combine(directory, "index"),
                ["DefaultEncoding"] = "Utf8",
                ["SaveJobs"] = false,
                ["Plugins"] = new JsonArray(Plugin),
                ["DicomWeb"] = new JsonObject
                {
                    ["Enable"] = true,
                    ["Servers"] = new JsonObject
                    {
                        [ServerName] = new JsonObject
                        {
                            ["Url"] = dicomWebRoot.AbsoluteUri,
                            ["HttpHeaders"] = new JsonObject { ["Authorization"] = "Bearer " + bearerToken },
                        },
                    },
                },
            };
            var configPath = Path.Combine(directory, "orthanc.json");
            await File.WriteAllTextAsync(configPath, config.ToJsonString());
            process = Process.Start(new ProcessStartInfo(Binary)
            {
                ArgumentList = { configPath },
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException($"could not start {Binary}");
            var orthanc = new OrthancDicomWebClient(process, directory, new Uri($"http://127.0.0.1:{port}/"), password);
            try
            {
                await orthanc.WaitReadyAsync();
                return orthanc;
            }
            catch
            {
                await orthanc.DisposeAsync();
                throw;
            }
        }
        catch when (process is null)
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Orthanc exited with {_process.ExitCode}:\n{LogTail}");
            try
            {
                using var response = await Http.GetAsync("plugins");
                if (response.IsSuccessStatusCode)
                {
                    var plugins = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(p => p!.ToString()).ToList();
                    if (!plugins.Contains("dicom-web")) throw new InvalidOperationException($"Orthanc started without its DICOMweb plugin ({string.Join(", ", plugins)}):\n{LogTail}");
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Orthanc did not answer on {BaseAddress} within 60 s:\n{LogTail}");
    }

    /// <summary>Uploads a Part-10 file (<c>POST /instances</c>); returns Orthanc's answer (ID, ParentStudy, Status).</summary>
    public async Task<JsonNode> UploadAsync(string path)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        using var response = await Http.PostAsync("instances", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Orthanc refused {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>
    /// <c>POST /dicom-web/servers/medcat/stow</c> as an asynchronous job, then waits for the job to end; returns the job
    /// as <c>GET /jobs/{id}</c> shows it (State Success or Failure, ErrorDescription, ErrorDetails, Content).
    /// </summary>
    public async Task<JsonNode> StowAsync(params string[] orthancResources)
    {
        var request = new JsonObject { ["Resources"] = new JsonArray([.. orthancResources.Select(r => JsonValue.Create(r))]), ["Synchronous"] = false };
        using var submitted = await Http.PostAsync($"dicom-web/servers/{ServerName}/stow", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await submitted.Content.ReadAsStringAsync();
        Assert.True(submitted.IsSuccessStatusCode, $"Orthanc did not take the STOW request: {(int)submitted.StatusCode} {text}");
        var jobId = JsonNode.Parse(text)!["ID"]!.ToString();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = JsonNode.Parse(await Http.GetStringAsync($"jobs/{jobId}"))!;
            if (job["State"]!.ToString() is "Success" or "Failure") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Orthanc's STOW job {jobId} did not end within 60 s: {job.ToJsonString()}\n{LogTail}");
            await Task.Delay(200);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // already gone, or gone by the time the folder is removed
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open: best effort, as NodeTestEnvironment does
        }
    }
}

/// <summary>A fact that needs Debian's Orthanc and its DICOMweb plugin; reported as skipped, with why, where they are missing.</summary>
public sealed class OrthancFactAttribute : FactAttribute
{
    public OrthancFactAttribute()
    {
        if (OrthancDicomWebClient.Missing is { } why) Skip = why;
    }
}
