using System.Diagnostics;

namespace MedImaging.Dicom.Tests.Peers;

/// <summary>Files nobody here wrote: Debian's python3-pydicom test data (and dcmtk's tools to cross-check them).</summary>
internal static class Corpus
{
    // MEDIMAGING_PYDICOM_DATA points elsewhere (or nowhere, to check that the suite skips cleanly).
    public static string PydicomData { get; } = Environment.GetEnvironmentVariable("MEDIMAGING_PYDICOM_DATA") ?? "/usr/lib/python3/dist-packages/pydicom/data";
    public const string Python = "/usr/bin/python3";
    public static string TestFiles => Path.Combine(PydicomData, "test_files");
    public static string CharsetFiles => Path.Combine(PydicomData, "charset_files");

    public static bool HasPydicom => Directory.Exists(TestFiles) && File.Exists(Python);
    public static bool HasDcmtk => File.Exists("/usr/bin/dcm2json") && File.Exists("/usr/bin/dcmdump");
    public static bool HasDicom3Tools => File.Exists("/usr/bin/dciodvfy");

    /// <summary>Every DICOM file of the corpus (Part-10, raw datasets and DICOMDIRs), sorted.</summary>
    public static IReadOnlyList<string> Files { get; } = HasPydicom
        ? Directory.EnumerateFiles(TestFiles, "*.dcm")
            .Concat(Directory.EnumerateFiles(CharsetFiles, "*.dcm"))
            .Concat(Directory.EnumerateFiles(Path.Combine(TestFiles, "dicomdirtests"), "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".txt", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>What the peers are run with (pydicom's force=True): input without "DICM" is read as a raw dataset.</summary>
    public static DicomReaderOptions AsPydicomForce { get; } = new() { AcceptRawDataset = true };

    public static string Get(string name) => Path.Combine(name.StartsWith("chr", StringComparison.Ordinal) ? CharsetFiles : TestFiles, name);

    public static (int ExitCode, string Stdout, string Stderr) Run(string exe, IEnumerable<string> args, string? stdin = null, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONWARNINGS"] = "ignore";
        using var p = Process.Start(psi)!;
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        if (!p.WaitForExit(timeoutMs)) { p.Kill(true); throw new TimeoutException($"{exe} did not finish"); }
        return (p.ExitCode, outTask.Result, errTask.Result);
    }
}

/// <summary>A fact that is reported as skipped (with the reason) when the pydicom corpus is not installed.</summary>
public sealed class PydicomFactAttribute : FactAttribute
{
    public PydicomFactAttribute()
    {
        if (!Corpus.HasPydicom) Skip = $"python3-pydicom test files not found at {Corpus.PydicomData} (apt-get install -y python3-pydicom)";
    }
}

/// <summary>A theory that is reported as skipped when the pydicom corpus is not installed.</summary>
public sealed class PydicomTheoryAttribute : TheoryAttribute
{
    public PydicomTheoryAttribute()
    {
        if (!Corpus.HasPydicom) Skip = $"python3-pydicom test files not found at {Corpus.PydicomData} (apt-get install -y python3-pydicom)";
    }
}

/// <summary>A fact that needs the pydicom corpus and dcmtk's command-line tools.</summary>
public sealed class DcmtkFactAttribute : FactAttribute
{
    public DcmtkFactAttribute()
    {
        if (!Corpus.HasPydicom || !Corpus.HasDcmtk) Skip = "pydicom corpus or dcmtk (dcm2json, dcmdump) not installed (apt-get install -y python3-pydicom dcmtk)";
    }
}

/// <summary>A fact that needs the pydicom corpus and dicom3tools' dciodvfy.</summary>
public sealed class Dicom3ToolsFactAttribute : FactAttribute
{
    public Dicom3ToolsFactAttribute()
    {
        if (!Corpus.HasPydicom || !Corpus.HasDicom3Tools) Skip = "pydicom corpus or dicom3tools (dciodvfy) not installed (apt-get install -y python3-pydicom dicom3tools)";
    }
}
