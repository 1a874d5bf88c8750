// Metadata-only parse throughput of MedImaging.Dicom against pydicom (in one process) and dcmtk's dcm2json (one
// process per file, as users run it), over the same files in the same run, with File.ReadAllBytes as the ceiling.
// Usage: dotnet run -c Release --project src/Tools/MedImaging.Dicom.Bench -- [corpus dirs...]
using System.Diagnostics;
using System.Globalization;
using MedImaging.Dicom;
using MedImaging.Dicom.Bench;

var dirs = args.Length > 0 ? args : ["/usr/lib/python3/dist-packages/pydicom/data/test_files", "/usr/lib/python3/dist-packages/pydicom/data/charset_files"];
var candidates = dirs.Where(Directory.Exists)
    .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
    .Where(f => !f.EndsWith(".txt", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith(".py", StringComparison.Ordinal))
    .Order(StringComparer.Ordinal).ToList();
Console.Error.WriteLine($"{candidates.Count} candidate files in {string.Join(", ", dirs)}");

// The common set: files that all three readers accept, so every number covers the same bytes.
var ours = candidates.Where(f => Peers.TryOurs(f)).ToList();
var pyOk = Peers.PydicomAccepts(ours);
var files = ours.Where(f => pyOk.Contains(f) && (!Peers.HasDcm2json || Peers.Dcm2jsonAccepts(f))).ToList();
if (files.Count == 0) { Console.Error.WriteLine("No files readable by every peer."); return 1; }
var bytes = files.Sum(f => new FileInfo(f).Length);
Console.Error.WriteLine($"{files.Count} files ({bytes / 1024.0:F0} KiB) readable by MedImaging.Dicom, pydicom{(Peers.HasDcm2json ? " and dcm2json" : "")}");

var results = new List<(string Name, double Seconds, long Files, long Bytes, string Note)>();
(double, long) Loop(Action<string> read, double minSeconds)
{
    foreach (var f in files) read(f); // warm-up: JIT, page cache
    var sw = Stopwatch.StartNew();
    long n = 0;
    do { foreach (var f in files) { read(f); n++; } } while (sw.Elapsed.TotalSeconds < minSeconds);
    return (sw.Elapsed.TotalSeconds, n);
}

var (ceilS, ceilN) = Loop(f => File.ReadAllBytes(f), 2);
results.Add(("File.ReadAllBytes (no parsing, ceiling)", ceilS, ceilN, ceilN / files.Count * bytes, "in-process loop"));
var (ourS, ourN) = Loop(f => DicomFile.Open(f, DicomReaderOptions.MetadataOnly), 3);
results.Add(("MedImaging.Dicom metadata-only", ourS, ourN, ourN / files.Count * bytes, "in-process loop, `DicomReaderOptions.MetadataOnly`"));
var (pyS, pyN) = Peers.PydicomLoop(files, 5);
results.Add(("pydicom dcmread(stop_before_pixels=True)", pyS, pyN, pyN / files.Count * bytes, $"pydicom {Peers.PydicomVersion}, one python3 process, loop"));
if (Peers.HasDcm2json)
{
    var (dS, dN) = Peers.Dcm2jsonLoop(files, 5);
    results.Add(("dcmtk dcm2json", dS, dN, dN / files.Count * bytes, "one process per file, output to /dev/null"));
}

double Rate((string, double Seconds, long Files, long, string) r) => r.Files / r.Seconds;
var py = results.First(r => r.Name.StartsWith("pydicom", StringComparison.Ordinal));
var dcm = results.FirstOrDefault(r => r.Name.StartsWith("dcmtk", StringComparison.Ordinal));
var inv = CultureInfo.InvariantCulture;
Console.WriteLine($"Corpus: {files.Count} files, {bytes / 1024.0:F0} KiB ({string.Join(", ", dirs)}); {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd}");
Console.WriteLine();
Console.WriteLine("| reader | files parsed | seconds | files/s | MB/s | × pydicom | × dcm2json | how |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
foreach (var r in results)
{
    var vsDcm = dcm.Name is null ? "n/a" : (Rate(r) / Rate(dcm)).ToString("F1", inv);
    Console.WriteLine(string.Create(inv, $"| {r.Name} | {r.Files} | {r.Seconds:F2} | {Rate(r):F0} | {r.Bytes / r.Seconds / 1e6:F1} | {Rate(r) / Rate(py):F1} | {vsDcm} | {r.Note} |"));
}
return 0;
