using System.Buffers.Binary;
using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Acceptance (issue 9, item 1): truncation, garbage and the end of the input come to the same outcome —
/// the same DicomReadException reason, offset and tag path, or the same dataset — from every source.</summary>
public sealed class EverySourceTests
{
    private static readonly DicomReadMode[] Modes = [DicomReadMode.Full, DicomReadMode.MetadataOnly];

    [PydicomFact]
    public void EveryFuzzCaseHasTheSameOutcomeFromEverySource()
    {
        var corpus = Corpus.Files.Select(File.ReadAllBytes).Where(b => b.Length < 400_000).ToArray();
        var disagreements = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long deflatedCompared = 0, failed = 0, read = 0;
        var workers = Enumerable.Range(0, 2).Select(w => new Thread(() =>
        {
            var temp = Path.Combine(Path.GetTempPath(), $"every-source-{Environment.ProcessId}-{w}.dcm");
            try
            {
                // The same cases, from the same seeds, as FuzzTests.
                for (var i = w; i < FuzzTests.Cases; i += 2)
                {
                    var rng = new Random(FuzzTests.Seed + i);
                    var input = FuzzTests.Mutate(corpus[rng.Next(corpus.Length)], rng);
                    foreach (var mode in Modes)
                    {
                        var results = EverySource.Part10(input, Corpus.AsPydicomForce with { Mode = mode }, temp);
                        foreach (var d in EverySource.Disagreements(results, $"case {i} (seed {FuzzTests.Seed + i}) {mode}")) disagreements.Enqueue(d);
                        if (results.Any(r => r.Source == EverySource.Deflated)) Interlocked.Increment(ref deflatedCompared);
                        if (results[0].Outcome.Failed) Interlocked.Increment(ref failed);
                        else Interlocked.Increment(ref read);
                    }
                }
            }
            finally { File.Delete(temp); }
        }) { IsBackground = true }).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        Assert.True(disagreements.IsEmpty, $"{disagreements.Count} disagreements:\n" + string.Join("\n", disagreements.Take(10)));
        // The cases exercise both outcomes, and most of them also as a deflated file.
        Assert.True(failed > 2_000 && read > 2_000, $"{failed} failed, {read} read");
        Assert.True(deflatedCompared > 6_000, $"only {deflatedCompared} reads compared with a deflated copy");
    }

    [PydicomFact]
    public void EveryRobustnessCaseHasTheSameOutcomeFromEverySource()
    {
        var temp = Path.Combine(Path.GetTempPath(), $"every-source-rb-{Environment.ProcessId}.dcm");
        var report = new List<string>();
        var deflatedCompared = 0;
        try
        {
            foreach (var (name, file, raw, options, expectFailure) in RobustnessCases())
            {
                foreach (var mode in Modes)
                {
                    var o = options with { Mode = mode };
                    var results = raw ? EverySource.RawDataset(file, o, temp) : EverySource.Part10(file, o, temp);
                    report.AddRange(EverySource.Disagreements(results, $"{name} {mode}"));
                    if (expectFailure && results.FirstOrDefault(r => !r.Outcome.Failed) is { Source: { } s, Outcome: { } ok })
                        report.Add($"{name} {mode}: {s} read it ({ok}), expected a DicomReadException");
                    if (results.Count == 5) deflatedCompared++;
                }
            }
        }
        finally { File.Delete(temp); }
        Assert.True(report.Count == 0, string.Join("\n", report.Take(20)));
        Assert.True(deflatedCompared > 300, $"only {deflatedCompared} cases compared with a deflated copy");
    }

    private static IEnumerable<(string Name, byte[] Input, bool Raw, DicomReaderOptions Options, bool ExpectFailure)> RobustnessCases()
    {
        var force = Corpus.AsPydicomForce;
        var rtplan = File.ReadAllBytes(Corpus.Get("rtplan.dcm"));
        yield return ("rtplan cut by 300 bytes", rtplan[..^300], false, force, true);
        var ms = new MemoryStream();
        DicomWriter.Write(DicomFile.Open(rtplan), ms);
        var rewritten = ms.ToArray();
        yield return ("rtplan rewritten with undefined lengths, cut by 300 bytes", rewritten[..^300], false, force, true);
        foreach (var name in new[] { "MR_truncated.dcm", "rtplan_truncated.dcm" })
            yield return (name, File.ReadAllBytes(Corpus.Get(name)), false, force, true);
        yield return ("a lying 4 GiB pixel data length", LyingLength(0xFFFFFFF0, 100), true, DicomReaderOptions.Default, true);
        yield return ("a 1 GiB length claim over 100 bytes", LyingLength(1u << 30, 100), true, DicomReaderOptions.Default, true);
        yield return ("a 1 GiB length claim in a file", [.. rewritten[..EverySource.MetaEnd(rewritten)], .. LyingLength(1u << 30, 5000)], false, force, true);
        var ct = File.ReadAllBytes(Corpus.Get("CT_small.dcm"));
        yield return ("CT_small with a 4096-byte element bound", ct, false, new DicomReaderOptions { MaxElementLength = 4096 }, false);
        yield return ("CT_small with a 10,000-byte file bound", ct, false, new DicomReaderOptions { MaxFileLength = 10_000 }, true);
        yield return ("10,000 nested undefined-length sequences", Nested(10_000), true, DicomReaderOptions.Default, true);
        yield return ("the same with MaxDepth 3", Nested(10_000), true, DicomReaderOptions.Default with { MaxDepth = 3 }, true);
        yield return ("an item claiming to contain itself", SelfContaining(), true, DicomReaderOptions.Default, true);
        yield return ("empty input", [], false, DicomReaderOptions.Default, true);
        yield return ("no DICM prefix", ct[132..], false, DicomReaderOptions.Default, true);
        yield return ("CT_small followed by 3 MiB of zeros", [.. ct, .. new byte[3 << 20]], false, force, false);
        yield return ("CT_small followed by zeros, then one byte", [.. ct, .. new byte[4096], 1], false, force, true);
        yield return ("CT_small followed by three bytes", [.. ct, 1, 2, 3], false, force, true);
        yield return ("CT_small followed by text", [.. ct, .. "GARBAGE!"u8], false, force, true);
        // Every explicit VR little endian corpus file cut short at five places (past its meta).
        foreach (var path in Corpus.Files.Where(f => new FileInfo(f).Length < 2_000_000))
        {
            var bytes = File.ReadAllBytes(path);
            var start = EverySource.MetaEnd(bytes);
            if (start == 0 || EverySource.DeflatedVariant(bytes, start) is null) continue;
            foreach (var cut in new[] { 1, 7, 8, 12, (bytes.Length - start) / 2 })
                if (bytes.Length - cut > start) yield return ($"{Path.GetFileName(path)} cut by {cut}", bytes[..^cut], false, force, false);
        }
    }

    [PydicomFact]
    public void ATruncatedDeflatedFileIsAnErrorWhereverItIsCut()
    {
        var bytes = File.ReadAllBytes(Corpus.Get("image_dfl.dcm"));
        var whole = DicomFile.Open(bytes);
        Assert.True(whole.Dataset.Count > 10);
        var temp = Path.Combine(Path.GetTempPath(), $"dfl-cut-{Environment.ProcessId}.dcm");
        var report = new List<string>();
        try
        {
            // 400 bytes (the meta and a little deflate data) as the issue found, then cuts all through the file. (The
            // deflate data ends 8 bytes before the file does: cut by up to 8 bytes the file is still whole.)
            foreach (var cut in new[] { 400 }.Concat(Enumerable.Range(1, 60).Select(k => bytes.Length * k / 61)).Append(bytes.Length - 9))
            {
                foreach (var mode in Modes)
                {
                    var results = EverySource.Part10(bytes[..cut], new DicomReaderOptions { Mode = mode }, temp);
                    report.AddRange(EverySource.Disagreements(results, $"cut at {cut} {mode}"));
                    if (!results[0].Outcome.Failed) report.Add($"cut at {cut} {mode}: read as {results[0].Outcome}");
                }
            }
            var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(new NonSeekableStream(bytes[..400])));
            Assert.Contains("deflate data ends before its final block", ex.Reason, StringComparison.Ordinal);
        }
        finally { File.Delete(temp); }
        Assert.True(report.Count == 0, string.Join("\n", report.Take(20)));
    }

    internal static byte[] LyingLength(uint length, int actual)
    {
        var data = new byte[12 + actual];
        BinaryPrimitives.WriteUInt32LittleEndian(data, 0x00107FE0);
        data[4] = (byte)'O'; data[5] = (byte)'B';
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), length);
        return data;
    }

    internal static byte[] Nested(int depth)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        for (var i = 0; i < depth; i++)
        {
            w.Write((ushort)0x0040); w.Write((ushort)0xA730); w.Write("SQ"u8); w.Write((ushort)0); w.Write(0xFFFFFFFFu);
            w.Write((ushort)0xFFFE); w.Write((ushort)0xE000); w.Write(0xFFFFFFFFu);
        }
        return ms.ToArray();
    }

    private static byte[] SelfContaining()
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write((ushort)0x0040); w.Write((ushort)0xA730); w.Write("SQ"u8); w.Write((ushort)0); w.Write(16u);
        w.Write((ushort)0xFFFE); w.Write((ushort)0xE000); w.Write(0xFFFFFFF8u);
        w.Write(0UL);
        return ms.ToArray();
    }
}
