// Metadata-only parse throughput of MedImaging.Dicom against pydicom (in one process) and dcmtk's dcm2json (one
// process per file, as users run it), with File.ReadAllBytes of the same files as the "just read the bytes" baseline,
// on two corpora: pydicom's small test files and real-size CT/MR instances (RealSizeCorpus). The readers alternate in
// short rounds within one run, so load from other processes on a shared machine falls on all of them alike.
using System.Globalization;
using MedImaging.Dicom;
using MedImaging.Dicom.Bench;

const string PydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
const string Usage = """
    Usage: dotnet run -c Release --project src/Tools/MedImaging.Dicom.Bench -- [options] [small-corpus dirs...]
      small-corpus dirs   default: pydicom's test_files and charset_files (Debian python3-pydicom)
      --real-size-dir D   where the real-size corpus is generated (kept and reused; default $TMPDIR/medimaging-dicom-bench)
      --no-real-size      only the small corpus
      --rounds N          alternating rounds per corpus (default 6)
      --slice S           seconds per reader per round (default 0.5; pydicom gets 2×)
    Prints one Markdown table per corpus: files and MB (file bytes) per CPU second, × pydicom, × dcm2json, and how
    many times faster File.ReadAllBytes of the same files is ("raw ÷ this", the target is ≤ 2); then the per-round
    spread and the wall-clock ratios. Rates are per CPU second of the reading process (dcm2json: of its processes,
    via /usr/bin/time), since on a shared machine the wall clock measures the scheduler as much as the reader.
    """;

var dirs = new List<string>();
var realDir = Path.Combine(Path.GetTempPath(), "medimaging-dicom-bench");
var withReal = true;
int rounds = 6;
double slice = 0.5;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--help" or "-h": Console.WriteLine(Usage); return 0;
        case "--real-size-dir": realDir = args[++i]; break;
        case "--no-real-size": withReal = false; break;
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--slice": slice = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: dirs.Add(args[i]); break;
    }
}
if (dirs.Count == 0) dirs.AddRange([PydicomFiles, "/usr/lib/python3/dist-packages/pydicom/data/charset_files"]);

var corpora = new List<(string Name, List<string> Files)>();
var small = dirs.Where(Directory.Exists)
    .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
    .Where(f => !f.EndsWith(".txt", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith(".py", StringComparison.Ordinal))
    .Order(StringComparer.Ordinal).ToList();
corpora.Add(($"small files ({string.Join(", ", dirs)})", CommonSet(small)));
if (withReal)
{
    var real = RealSizeCorpus.Build(realDir, PydicomFiles);
    var common = CommonSet(real);
    foreach (var left in real.Except(common)) Console.Error.WriteLine($"real-size corpus: {left} is not read by every reader, left out");
    corpora.Add(($"real-size files ({realDir} and the peers' larger test files)", common));
}
if (corpora.Any(c => c.Files.Count == 0)) { Console.Error.WriteLine("A corpus has no files that every reader accepts."); return 1; }

using var pydicom = new PydicomWorker([.. corpora.Select(c => c.Files)]);
Console.WriteLine($"{Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; pydicom {pydicom.Version}; {rounds} alternating rounds of {slice} s per reader");
for (var c = 0; c < corpora.Count; c++)
{
    var (name, files) = corpora[c];
    var bytes = files.Sum(f => new FileInfo(f).Length);
    var raw = new Tally(); var ours = new Tally(); var py = new Tally(); var dcm = new Tally();
    var perRound = new List<(double VsPy, double RawOverOurs)>();
    var wallRound = new List<(double VsPy, double RawOverOurs)>();
    Loop(files, f => File.ReadAllBytes(f), 0.2); // warm-up: JIT, page cache
    Loop(files, f => DicomFile.Open(f, DicomReaderOptions.MetadataOnly), 0.5);
    for (var r = 0; r < rounds; r++)
    {
        var rr = raw.Add(Loop(files, f => File.ReadAllBytes(f), slice));
        var ro = ours.Add(Loop(files, f => DicomFile.Open(f, DicomReaderOptions.MetadataOnly), slice));
        var rp = py.Add(pydicom.Loop(c, 2 * slice));
        // dcm2json starts a process per file: each round takes its share of one pass over the corpus.
        if (Peers.HasDcm2json) dcm.Add(Peers.Dcm2json(files.Where((_, i) => i % rounds == r)));
        perRound.Add((ro.Rate / rp.Rate, rr.Rate / ro.Rate));
        wallRound.Add((ro.WallRate / rp.WallRate, rr.WallRate / ro.WallRate));
    }
    Print(name, files.Count, bytes, raw, ours, py, dcm, perRound, wallRound, pydicom.Version);
}
return 0;

List<string> CommonSet(List<string> candidates)
{
    // Files that all three readers accept, so every number covers the same bytes.
    var ok = candidates.Where(Peers.TryOurs).ToList();
    var pyOk = Peers.PydicomAccepts(ok);
    return ok.Where(f => pyOk.Contains(f) && (!Peers.HasDcm2json || Peers.Dcm2jsonAccepts(f))).ToList();
}

static (double Seconds, double CpuSeconds, long Files) Loop(List<string> files, Action<string> read, double minSeconds)
{
    // CPU seconds of this process (the GC's and JIT's threads included), as python's process_time counts pydicom's.
    static double Cpu() { using var me = System.Diagnostics.Process.GetCurrentProcess(); return me.TotalProcessorTime.TotalSeconds; }
    var cpu = Cpu();
    var sw = System.Diagnostics.Stopwatch.StartNew();
    long n = 0;
    do { foreach (var f in files) { read(f); n++; } } while (sw.Elapsed.TotalSeconds < minSeconds);
    return (sw.Elapsed.TotalSeconds, Cpu() - cpu, n);
}

static void Print(string name, int count, long bytes, Tally raw, Tally ours, Tally py, Tally dcm, List<(double VsPy, double RawOverOurs)> perRound,
    List<(double VsPy, double RawOverOurs)> wallRound, string pyVersion)
{
    var inv = CultureInfo.InvariantCulture;
    Console.WriteLine();
    Console.WriteLine($"Corpus: {name}: {count} files, {bytes / 1024.0:F0} KiB, {bytes / 1024.0 / count:F0} KiB per file");
    Console.WriteLine();
    Console.WriteLine("| reader | files parsed | CPU s | wall s | files per CPU s | MB per CPU s | × pydicom | × dcm2json | raw ÷ this | how |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    void Row(string reader, Tally t, string how)
    {
        var vsDcm = dcm.Files == 0 ? "n/a" : (t.Rate / dcm.Rate).ToString("F1", inv);
        var mbs = t.Files * (double)bytes / count / t.CpuSeconds / 1e6;
        Console.WriteLine(string.Create(inv, $"| {reader} | {t.Files} | {t.CpuSeconds:F2} | {t.Seconds:F2} | {t.Rate:F0} | {mbs:F1} | {t.Rate / py.Rate:F1} | {vsDcm} | {raw.Rate / t.Rate:F2} | {how} |"));
    }
    Row("File.ReadAllBytes (no parsing)", raw, "in-process loop");
    Row("**MedImaging.Dicom metadata-only**", ours, "in-process loop, `DicomReaderOptions.MetadataOnly`");
    Row("pydicom dcmread(stop_before_pixels=True)", py, $"pydicom {pyVersion}, one python3 process, its own clock");
    if (dcm.Files > 0) Row("dcmtk dcm2json", dcm, "one process per file, output discarded");
    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"Per round (CPU time): × pydicom {perRound.Min(p => p.VsPy):F1}–{perRound.Max(p => p.VsPy):F1}, raw ÷ ours {perRound.Min(p => p.RawOverOurs):F2}–{perRound.Max(p => p.RawOverOurs):F2}. "
        + $"Wall clock, whole run: × pydicom {ours.WallRate / py.WallRate:F1}, raw ÷ ours {raw.WallRate / ours.WallRate:F2}; per round {wallRound.Min(p => p.VsPy):F1}–{wallRound.Max(p => p.VsPy):F1} and {wallRound.Min(p => p.RawOverOurs):F2}–{wallRound.Max(p => p.RawOverOurs):F2}."));
}

/// <summary>Wall-clock and CPU seconds and files, summed over rounds. Rates are per CPU second: on a shared machine the
/// wall clock measures the scheduler as much as the reader.</summary>
internal sealed class Tally
{
    public double Seconds { get; private set; }
    public double CpuSeconds { get; private set; }
    public long Files { get; private set; }
    public double Rate => Files / CpuSeconds;
    public double WallRate => Files / Seconds;

    public (double Rate, double WallRate) Add((double Seconds, double CpuSeconds, long Files) r)
    {
        Seconds += r.Seconds;
        CpuSeconds += r.CpuSeconds;
        Files += r.Files;
        return (r.Files / r.CpuSeconds, r.Files / r.Seconds);
    }
}
