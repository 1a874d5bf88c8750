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
