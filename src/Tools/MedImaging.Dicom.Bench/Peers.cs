using System.Diagnostics;
using System.Globalization;
using MedImaging.Dicom;

namespace MedImaging.Dicom.Bench;

/// <summary>Runs the peers: pydicom in one long-lived python process (timed by its own clock, so interpreter start-up is
/// not counted against it), dcm2json one process per file, as users run it.</summary>
internal static class Peers
{
    private const string Python = "/usr/bin/python3";
    private const string Dcm2jsonPath = "/usr/bin/dcm2json";

    public static bool HasDcm2json => File.Exists(Dcm2jsonPath);

    public static bool TryOurs(string path)
    {
        try { DicomFile.Open(path, DicomReaderOptions.MetadataOnly); return true; }
        catch (DicomReadException) { return false; }
    }

    public static HashSet<string> PydicomAccepts(List<string> files)
    {
        const string script = """
            import sys, warnings
            warnings.simplefilter("ignore")
            import pydicom
            for p in sys.stdin.read().splitlines():
                try:
                    pydicom.dcmread(p, stop_before_pixels=True); print(p)
                except Exception:
                    pass
            """;
        var (_, stdout, _) = Run(Python, ["-c", script], string.Join('\n', files));
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    public static bool Dcm2jsonAccepts(string path) => Run(Dcm2jsonPath, ["-q", path], null).ExitCode == 0;

    public static bool HasTime => File.Exists("/usr/bin/time");

    /// <summary>dcm2json on each file once: wall-clock seconds, CPU seconds of the dcm2json processes (from
    /// /usr/bin/time), files.</summary>
    public static (double Seconds, double CpuSeconds, long Files) Dcm2json(IEnumerable<string> files)
    {
        var sw = Stopwatch.StartNew();
        long n = 0;
        double cpu = 0;
        foreach (var f in files)
        {
            // GNU time writes "user system" on stderr after dcm2json's own (quiet) output.
            var started = sw.Elapsed.TotalSeconds;
            if (!HasTime)
            {
                Run(Dcm2jsonPath, ["-q", f], null, discard: true);
                cpu += sw.Elapsed.TotalSeconds - started; // no /usr/bin/time: wall-clock stands in
            }
            else
            {
                var (_, _, err) = Run("/usr/bin/time", ["-f", "%U %S", Dcm2jsonPath, "-q", f], null, discard: true);
                var last = err.TrimEnd().Split('\n')[^1].Split(' ');
                cpu += double.Parse(last[0], CultureInfo.InvariantCulture) + double.Parse(last[1], CultureInfo.InvariantCulture);
            }
            n++;
        }
        return (sw.Elapsed.TotalSeconds, cpu, n);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string exe, string[] args, string? stdin, bool discard = false)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = discard ? p.StandardOutput.BaseStream.CopyToAsync(Stream.Null).ContinueWith(_ => "", TaskScheduler.Default) : p.StandardOutput.ReadToEndAsync();
        var err = p.StandardError.ReadToEndAsync();
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        p.WaitForExit();
        return (p.ExitCode, output.Result, err.Result);
    }
}

/// <summary>One python3 process that holds the corpora and runs timed <c>dcmread(stop_before_pixels=True)</c> loops on
/// request, so its rounds can alternate with ours in the same run.</summary>
internal sealed class PydicomWorker : IDisposable
{
    private const string Script = """
        import sys, time, warnings
        warnings.simplefilter("ignore")
        import pydicom
        inp = sys.stdin
        corpora = []
        for _ in range(int(inp.readline())):
            corpora.append([inp.readline().rstrip("\n") for _ in range(int(inp.readline()))])
        for files in corpora:
            for p in files: pydicom.dcmread(p, stop_before_pixels=True)
        print(pydicom.__version__, flush=True)
        for line in inp:
            k, seconds = line.split()
            files = corpora[int(k)]; limit = float(seconds)
            n = 0; t0 = time.perf_counter(); c0 = time.process_time()
            while True:
                for p in files:
                    pydicom.dcmread(p, stop_before_pixels=True); n += 1
                if time.perf_counter() - t0 >= limit: break
            print(n, time.perf_counter() - t0, time.process_time() - c0, flush=True)
        """;

    private readonly Process _process;

    public PydicomWorker(IReadOnlyList<List<string>> corpora)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        _process = Process.Start(psi)!;
        var input = _process.StandardInput;
        input.WriteLine(corpora.Count);
        foreach (var files in corpora)
        {
            input.WriteLine(files.Count);
            foreach (var f in files) input.WriteLine(f);
        }
        input.Flush();
        Version = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("pydicom worker did not start");
    }

    public string Version { get; }

    /// <summary>Whole passes over corpus <paramref name="corpus"/> for at least <paramref name="seconds"/>: wall-clock and
    /// CPU seconds (the python process's own clocks) and files read.</summary>
    public (double Seconds, double CpuSeconds, long Files) Loop(int corpus, double seconds)
    {
        _process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{corpus} {seconds}"));
        _process.StandardInput.Flush();
        var parts = (_process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("pydicom worker ended")).Split(' ');
        return (double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture),
            long.Parse(parts[0], CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        _process.WaitForExit();
        _process.Dispose();
    }
}
