using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Issue 9, item 2: zero bytes after the last complete element are padding in every mode from every source, with
/// a warning, as dcmtk and pydicom read them; anything else after the dataset is an error in every mode.</summary>
public sealed class TrailingPaddingTests
{
    private const int Padding = 3 << 20; // more than DicomFile.InMemoryThreshold, so a path is streamed too
    private static readonly DicomReadMode[] Modes = [DicomReadMode.Full, DicomReadMode.MetadataOnly, DicomReadMode.LazyPixelData];

    // Explicit VR with native pixel data (and a deflated copy), implicit VR, and a file without pixel data.
    public static TheoryData<string> Files => new() { "CT_small.dcm", "MR_small_implicit.dcm", "rtplan.dcm" };

    [PydicomTheory]
    [MemberData(nameof(Files))]
    public void ZeroPaddingIsReadInEveryModeFromEverySourceWithAWarning(string name)
    {
        var original = File.ReadAllBytes(Corpus.Get(name));
        byte[] padded = [.. original, .. new byte[Padding]];
        var temp = Path.Combine(Path.GetTempPath(), $"padded-{Environment.ProcessId}-{name}");
        var report = new List<string>();
        try
        {
            foreach (var mode in Modes)
            {
                var options = new DicomReaderOptions { Mode = mode };
                var expected = DicomFile.Open(original, options);
                Assert.Empty(expected.Warnings);
                var fingerprint = EverySource.Fingerprint(expected.Dataset);
                var results = EverySource.Part10(padded, options, temp);
                Assert.True(results.Count >= 4);
                foreach (var (source, outcome) in results)
                {
                    if (outcome.Failed || !outcome.Result.StartsWith(fingerprint + " ", StringComparison.Ordinal)
                        || !outcome.Result.Contains($"{Padding} bytes of zero padding after the dataset", StringComparison.Ordinal))
                        report.Add($"{name} {mode} {source}: {outcome} (expected {fingerprint} and a warning)");
                }
            }
            var file = DicomFile.Open(padded);
            Assert.Equal($"{Padding} bytes of zero padding after the dataset (from offset {original.Length}) were ignored", Assert.Single(file.Warnings));
        }
        finally { File.Delete(temp); }
        Assert.True(report.Count == 0, string.Join("\n", report));
    }

    [DcmtkFact]
    public void DcmdumpAndPydicomReadThePaddedFilesAsWeDo()
    {
        foreach (var name in new[] { "CT_small.dcm", "MR_small_implicit.dcm", "rtplan.dcm" })
        {
            var original = Corpus.Get(name);
            var padded = Path.Combine(Path.GetTempPath(), $"padded-peer-{Environment.ProcessId}-{name}");
            File.WriteAllBytes(padded, [.. File.ReadAllBytes(original), .. new byte[Padding]]);
            try
            {
                var (code, dump, err) = Corpus.Run("/usr/bin/dcmdump", ["-q", padded]);
                Assert.True(code == 0, $"dcmdump failed on {name} padded: {err}");
                // dcmdump lists the padding as one empty (0000,0000) element and otherwise the same elements.
                var zeroTagLines = dump.Split('\n').Where(l => l.StartsWith("(0000,0000)", StringComparison.Ordinal)).ToList();
                Assert.Single(zeroTagLines);
                Assert.Equal(Corpus.Run("/usr/bin/dcmdump", ["-q", original]).Stdout, dump.Replace(zeroTagLines[0] + "\n", "", StringComparison.Ordinal));
                const string Script = "import sys, pydicom\nfor p in sys.argv[1:]:\n    ds = pydicom.dcmread(p)\n    print(len(ds), ds.SOPInstanceUID)";
                var (pyCode, py, pyErr) = Corpus.Run(Corpus.Python, ["-c", Script, original, padded]);
                Assert.True(pyCode == 0, pyErr);
                // pydicom too reads the padding as one more, empty (0000,0000) element; we report it as a warning.
                var lines = py.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
                Assert.Equal(int.Parse(lines[0][0], System.Globalization.CultureInfo.InvariantCulture) + 1, int.Parse(lines[1][0], System.Globalization.CultureInfo.InvariantCulture));
                var ours = DicomFile.Open(padded);
                Assert.Equal(DicomFile.Open(original).Dataset.Count, ours.Dataset.Count);
                Assert.Equal(lines[1][1], ours.Dataset.GetString(DicomTags.SOPInstanceUID));
                Assert.Single(ours.Warnings);
            }
            finally { File.Delete(padded); }
        }
    }

    [PydicomTheory]
    [MemberData(nameof(Files))]
    public void AnythingElseAfterTheDatasetIsAnErrorInEveryModeFromEverySource(string name)
    {
        var original = File.ReadAllBytes(Corpus.Get(name));
        var temp = Path.Combine(Path.GetTempPath(), $"trailing-{Environment.ProcessId}-{name}");
        var report = new List<string>();
        var tails = new (string What, byte[] Bytes, string Reason)[]
        {
            ("zeros then a byte", [.. new byte[Padding], 7], $"zero bytes from offset {original.Length}, then a non-zero byte at offset {original.Length + Padding}"),
            ("three zero bytes then one", [0, 0, 0, 1], "ends inside an element header"), // not a zero tag: not padding
            ("text", "GARBAGE!"u8.ToArray(), ""),
            ("one byte", [1], "ends inside an element header"),
        };
        try
        {
            foreach (var (what, tail, reason) in tails)
            {
                foreach (var mode in Modes)
                {
                    var results = EverySource.Part10([.. original, .. tail], new DicomReaderOptions { Mode = mode }, temp);
                    report.AddRange(EverySource.Disagreements(results, $"{name} + {what} {mode}"));
                    foreach (var (source, outcome) in results)
                        if (!outcome.Failed) report.Add($"{name} + {what} {mode} {source}: read as {outcome}");
                    var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open([.. original, .. tail], new DicomReaderOptions { Mode = mode }));
                    Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
                    Assert.InRange(ex.Offset, original.Length, original.Length + tail.Length);
                }
            }
        }
        finally { File.Delete(temp); }
        Assert.True(report.Count == 0, string.Join("\n", report.Take(20)));
    }
}
