using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MedImaging.Platform.Tests;

/// <summary>A built host run as an operator runs it (<c>dotnet Host.dll</c>), under strace recording its network calls.</summary>
internal sealed class TracedHost
{
    private readonly Process _strace;
    private readonly StringBuilder _output = new();

    private TracedHost(string service, string traceFile, Process strace)
    {
        Service = service;
        TraceFile = traceFile;
        _strace = strace;
        _strace.OutputDataReceived += (_, e) => Append(e.Data);
        _strace.ErrorDataReceived += (_, e) => Append(e.Data);
        _strace.BeginOutputReadLine();
        _strace.BeginErrorReadLine();
    }

    public string Service { get; }
    public string TraceFile { get; }
    public bool HasExited => _strace.HasExited;

    public static TracedHost Start(string service, string dll, IReadOnlyDictionary<string, string?> environment, string traceFile)
    {
        // -f: every thread and child; --seccomp-bpf: only the traced calls stop the process, so the host runs near full speed.
        var start = new ProcessStartInfo("/usr/bin/strace",
            ["-f", "--seccomp-bpf", "-qq", "-s", "64", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-o", traceFile, "dotnet", dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        return new TracedHost(service, traceFile, Process.Start(start)!);
    }

    /// <summary>SIGTERM to the host (strace's child), as systemd or docker stop would send, then waits for it to finish.</summary>
    public async Task StopAsync()
    {
        if (_strace.HasExited) return;
        foreach (var child in Children(_strace.Id))
            using (var kill = Process.Start("/bin/kill", ["-TERM", child.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _strace.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _strace.Kill(entireProcessTree: true);
            await _strace.WaitForExitAsync();
        }
    }

    public string Describe()
    {
        lock (_output)
        {
            var text = _output.ToString();
            return $"--- {Service} ({(HasExited ? $"exited {_strace.ExitCode}" : "running")}):\n{(text.Length > 3000 ? text[^3000..] : text)}";
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static IEnumerable<int> Children(int pid)
    {
        var path = $"/proc/{pid}/task/{pid}/children";
        return File.Exists(path)
            ? File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))
            : [];
    }
}
