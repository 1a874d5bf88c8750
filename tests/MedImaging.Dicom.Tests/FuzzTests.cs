using System.Diagnostics;
using MedImaging.Dicom.Tests.Peers;

namespace MedImaging.Dicom.Tests;

/// <summary>Acceptance: 10,000+ seeded mutations of corpus files; only DicomReadException (or the documented
/// unsupported-syntax exception) escapes, no case hangs, and no case allocates beyond a bound of its input size.</summary>
public sealed class FuzzTests
{
    internal const int Cases = 12_000;
    internal const int Seed = 20_240_601;

    [PydicomFact]
    public void MutatedCorpusFilesOnlyEverFailWithDicomReadException()
    {
        var corpus = Corpus.Files.Select(File.ReadAllBytes).Where(b => b.Length < 400_000).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var current = new long[2];
        var started = new long[2];
        var workers = Enumerable.Range(0, 2).Select(w => new Thread(() =>
        {
            for (var i = w; i < Cases; i += 2)
            {
                var rng = new Random(Seed + i);
                var input = Mutate(corpus[rng.Next(corpus.Length)], rng);
                Volatile.Write(ref current[w], i);
                Volatile.Write(ref started[w], Stopwatch.GetTimestamp());
                var before = GC.GetAllocatedBytesForCurrentThread();
                try { Exercise(input); }
                catch (DicomReadException) { }
                catch (DicomUnsupportedTransferSyntaxException) { }
                catch (Exception ex) { failures.Enqueue($"case {i} (seed {Seed + i}): {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}"); }
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated > 64L * input.Length + 8_000_000) failures.Enqueue($"case {i}: allocated {allocated} bytes for {input.Length} input bytes");
            }
            Volatile.Write(ref started[w], 0);
        }) { IsBackground = true }).ToList();
        var clock = Stopwatch.StartNew();
        workers.ForEach(t => t.Start());
        while (workers.Any(t => t.IsAlive))
        {
            Thread.Sleep(50);
            for (var w = 0; w < 2; w++)
            {
                var s = Volatile.Read(ref started[w]);
                if (s != 0 && Stopwatch.GetElapsedTime(s) > TimeSpan.FromSeconds(5))
                    Assert.Fail($"case {Volatile.Read(ref current[w])} (seed {Seed + Volatile.Read(ref current[w])}) ran over 5 s: a hang");
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "fuzzing took over 120 s");
        }
        Assert.True(failures.IsEmpty, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(5)));
    }

    /// <summary>Everything a caller might do with a file read from an untrusted source.</summary>
    private static void Exercise(byte[] input)
    {
        var file = DicomFile.Open(input, Corpus.AsPydicomForce);
        _ = DicomJsonWriter.Serialize(file.Dataset);
        foreach (var e in file.Dataset) _ = e.GetStrings();
        if (file.Dataset.Contains(DicomTags.PixelData) && file.Dataset.Contains(DicomTags.Rows))
            _ = DicomPixelData.Create(file).GetFrame(0);
    }

    internal static byte[] Mutate(byte[] original, Random rng)
    {
        var data = (byte[])original.Clone();
        switch (rng.Next(6))
        {
            case 0: // flip a few bytes
                for (var k = rng.Next(1, 9); k > 0; k--) data[rng.Next(data.Length)] = (byte)rng.Next(256);
                return data;
            case 1: // truncate
                return data[..rng.Next(data.Length)];
            case 2: // a lying 32-bit length somewhere
            {
                var at = rng.Next(Math.Max(1, data.Length - 4));
                var lie = rng.Next(4) switch { 0 => 0xFFFFFFFFu, 1 => 0x7FFFFFFFu, 2 => (uint)rng.Next(), _ => 0xFFFFFFF0u };
                BitConverter.TryWriteBytes(data.AsSpan(at), lie);
                return data;
            }
            case 3: // a lying 16-bit length
            {
                var at = rng.Next(Math.Max(1, data.Length - 2));
                BitConverter.TryWriteBytes(data.AsSpan(at), (ushort)rng.Next(65536));
                return data;
            }
            case 4: // duplicate a region (nested items repeated, delimiters doubled)
            {
                var start = rng.Next(data.Length);
                var len = Math.Min(rng.Next(1, 512), data.Length - start);
                return [.. data[..start], .. data.AsSpan(start, len), .. data[start..]];
            }
            default: // insert item/delimiter tags at random
            {
                var at = rng.Next(data.Length);
                byte[] tag = rng.Next(3) switch
                {
                    0 => [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF],
                    1 => [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0],
                    _ => [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0],
                };
                return [.. data[..at], .. tag, .. data[at..]];
            }
        }
    }
}
