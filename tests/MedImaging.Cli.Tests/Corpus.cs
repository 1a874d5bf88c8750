namespace MedImaging.Cli.Tests;

/// <summary>Files nobody here wrote: Debian's python3-pydicom test corpus, copied into a folder of the test's own.</summary>
public static class Corpus
{
    public const string Root = "/usr/lib/python3/dist-packages/pydicom/data";

    /// <summary>Part-10 files with distinct SOP Instance UIDs (as pydicom 2.3.1 reads them), keyed by file name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Good = new Dictionary<string, string>
    {
        ["test_files/CT_small.dcm"] = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322",
        ["test_files/MR_small.dcm"] = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457",
        ["test_files/rtplan.dcm"] = "1.2.777.777.77.7.7777.7777.20030903150023",
        ["test_files/test-SR.dcm"] = "1.2.276.0.7230010.3.1.4.2139363186.7819.982086466.4",
        ["test_files/693_J2KI.dcm"] = "1.2.826.0.1.3680043.2.1143.6234428899086018376578420169896863246",
        ["test_files/SC_rgb_small_odd.dcm"] = "1.2.276.0.7230010.3.1.4.8323329.1099.1521494048.423534",
        ["test_files/waveform_ecg.dcm"] = "1.3.6.1.4.1.20029.40.20130125105919.5407.1.1",
        ["charset_files/chrH31.dcm"] = "1.3.6.1.4.1.5962.1.1.0.1.1.1175775771.5702.0",
    };

    /// <summary>A temporary folder holding the given corpus files (sub-folders kept) and the extra files given.</summary>
    public static TempFolder Folder(IEnumerable<string> corpusFiles, IReadOnlyDictionary<string, byte[]>? extra = null)
    {
        var folder = new TempFolder();
        foreach (var f in corpusFiles)
        {
            var target = Path.Combine(folder.Path, f);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(Root, f), target);
        }
        foreach (var (name, bytes) in extra ?? new Dictionary<string, byte[]>())
        {
            var target = Path.Combine(folder.Path, name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, bytes);
        }
        return folder;
    }
}

/// <summary>Large instances made from the corpus's CT_small.dcm, as a CT or MR study's files are large.</summary>
public static class LargeInstances
{
    private const string Source = "test_files/CT_small.dcm";
    private const string SourceUid = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";

    /// <summary>
    /// Writes <paramref name="count"/> copies of CT_small.dcm into the folder, each with its own SOP Instance UID (the
    /// last five digits replaced, so every length stays the same) and grown to about <paramref name="bytes"/> by
    /// Dataset Trailing Padding (FFFC,FFFC), which PS3.5 §7.1 allows at the end of any dataset. Returns the UIDs.
    /// </summary>
    public static IReadOnlyList<string> Write(string folder, string prefix, int count, int bytes)
    {
        var original = File.ReadAllBytes(System.IO.Path.Combine(Corpus.Root, Source));
        var uids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var uid = SourceUid[..^5] + (90000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var file = Replace(original, System.Text.Encoding.ASCII.GetBytes(SourceUid), System.Text.Encoding.ASCII.GetBytes(uid));
            var padding = Math.Max(0, bytes - file.Length - 12) & ~1;
            using var stream = File.Create(System.IO.Path.Combine(folder, $"{prefix}{i:D2}.dcm"));
            stream.Write(file);
            // (FFFC,FFFC) OB, explicit VR little endian: tag, "OB", two reserved bytes, 32-bit length, value.
            stream.Write([0xFC, 0xFF, 0xFC, 0xFF, (byte)'O', (byte)'B', 0, 0]);
            stream.Write(BitConverter.GetBytes(padding));
            stream.Write(new byte[padding]);
            uids.Add(uid);
        }
        return uids;
    }

    private static byte[] Replace(byte[] data, byte[] from, byte[] to)
    {
        var result = (byte[])data.Clone();
        var replaced = 0;
        var at = 0;
        while (result.AsSpan(at).IndexOf(from) is var found and >= 0)
        {
            to.CopyTo(result.AsSpan(at + found));
            at += found + from.Length;
            replaced++;
        }
        if (replaced < 2) throw new InvalidOperationException($"{Source}: the SOP Instance UID was found {replaced} times, not in both the file meta and the dataset.");
        return result;
    }
}

public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("medcat-push-").FullName;

    public string Journal => System.IO.Path.Combine(Path, ".medcat-push.journal");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
