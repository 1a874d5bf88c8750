using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MedImaging.Ingest.Bench;

/// <summary>A server the benchmark started: its output goes to a log file; stopping kills it (and its children) by PID.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    public ChildProcess(ProcessStartInfo start, string logPath)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _log = new StreamWriter(logPath) { AutoFlush = true };
        LogPath = logPath;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string LogPath { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>CPU time (user + system) the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    private void Write(string? line)
    {
        if (line is null) return;
        lock (_log) _log.WriteLine(line);
    }

    /// <summary>Polls <paramref name="probe"/> until it answers 200, the process exits, or the timeout passes.</summary>
    public async Task WaitReadyAsync(Uri probe, TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode}; see {LogPath}");
            try
            {
                using var response = await http.GetAsync(probe, ct);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // slow start
            }
            await Task.Delay(250, ct);
        }
        throw new TimeoutException($"{probe} did not answer 200 within {timeout.TotalSeconds:F0} s; see {LogPath}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
