using System.Diagnostics;
using System.Globalization;
using MedImaging.Dicom;

namespace MedImaging.Dicom.Bench;

/// <summary>Runs the peers: pydicom in one python process, dcm2json one process per file.</summary>
internal static class Peers
{
    private const string Python = "/usr/bin/python3";
    private const string Dcm2json = "/usr/bin/dcm2json";

    public static bool HasDcm2json => File.Exists(Dcm2json);

    public static string PydicomVersion { get; private set; } = "?";

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
        var (_, stdout) = Run(Python, ["-c", script], string.Join('\n', files));
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    public static bool Dcm2jsonAccepts(string path) => Run(Dcm2json, ["-q", path], null).ExitCode == 0;

    /// <summary>pydicom's own clock around its loop, so interpreter start-up is not counted against it.</summary>
    public static (double Seconds, long Files) PydicomLoop(List<string> files, double minSeconds)
    {
        var script = """
            import sys, time, warnings
            warnings.simplefilter("ignore")
            import pydicom
            files = sys.stdin.read().splitlines()
            for p in files: pydicom.dcmread(p, stop_before_pixels=True)
            n = 0; t0 = time.perf_counter()
            while True:
                for p in files:
                    pydicom.dcmread(p, stop_before_pixels=True); n += 1
                if time.perf_counter() - t0 >= MIN: break
            print(pydicom.__version__, time.perf_counter() - t0, n)
            """.Replace("MIN", minSeconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var (_, stdout) = Run(Python, ["-c", script], string.Join('\n', files));
        var parts = stdout.Trim().Split(' ');
        PydicomVersion = parts[0];
        return (double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    public static (double Seconds, long Files) Dcm2jsonLoop(List<string> files, double minSeconds)
    {
        var sw = Stopwatch.StartNew();
        long n = 0;
        do
        {
            foreach (var f in files) { Run(Dcm2json, ["-q", f], null, discard: true); n++; }
        } while (sw.Elapsed.TotalSeconds < minSeconds);
        return (sw.Elapsed.TotalSeconds, n);
    }

    private static (int ExitCode, string Stdout) Run(string exe, string[] args, string? stdin, bool discard = false)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = discard ? p.StandardOutput.BaseStream.CopyToAsync(Stream.Null).ContinueWith(_ => "", TaskScheduler.Default) : p.StandardOutput.ReadToEndAsync();
        var err = p.StandardError.ReadToEndAsync();
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        p.WaitForExit();
        _ = err.Result;
        return (p.ExitCode, output.Result);
    }
}
