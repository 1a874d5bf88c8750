namespace MedImaging.Dicom.Tests.Peers;

/// <summary>dcmtk's and GDCM's decompressors run on the same compressed files our codecs decode.</summary>
internal static class CodecPeers
{
    public static bool HasDcmtk => File.Exists("/usr/bin/dcmdjpeg") && File.Exists("/usr/bin/dcmdjpls") && File.Exists("/usr/bin/dcmcjpls");
    public static bool HasGdcm => File.Exists("/usr/bin/gdcmconv");

    public static string Work { get; } = Directory.CreateTempSubdirectory("medimaging-codecs-").FullName;

    /// <summary>Decompresses <paramref name="path"/> with a peer into a native file and returns that file's path.</summary>
    public static string Decompress(string peer, string path)
    {
        var output = Path.Combine(Work, $"{peer}-{Guid.NewGuid():N}.dcm");
        var (exe, args) = peer switch
        {
            "dcmdjpeg" => ("/usr/bin/dcmdjpeg", new[] { path, output }),
            "dcmdjpls" => ("/usr/bin/dcmdjpls", new[] { path, output }),
            "gdcm" => ("/usr/bin/gdcmconv", new[] { "--raw", path, output }),
            _ => throw new ArgumentOutOfRangeException(nameof(peer)),
        };
        var (code, stdout, stderr) = Corpus.Run(exe, args);
        if (code != 0 || !File.Exists(output)) throw new InvalidOperationException($"{peer} failed on {path}: {stdout} {stderr}");
        return output;
    }

    /// <summary>Runs a compressor (dcmcjpeg, dcmcjpls, gdcmconv) with arguments; input and output paths come last.</summary>
    public static string Compress(string exe, string name, string input, params string[] options)
    {
        var output = Path.Combine(Work, name);
        if (File.Exists(output)) return output;
        var args = options.Concat([input, output]).ToArray();
        var (code, stdout, stderr) = Corpus.Run(exe, args);
        if (code != 0 || !File.Exists(output)) throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed: {stdout} {stderr}");
        return output;
    }

    /// <summary>All frames as stored values (interleaved samples), as our library decodes them.</summary>
    public static int[][] Frames(string path)
    {
        var px = DicomPixelData.Create(DicomFile.Open(path));
        return [.. Enumerable.Range(0, px.NumberOfFrames).Select(px.GetStoredValues)];
    }

    /// <summary>Largest absolute difference between two decodes of the same frames (throws on a shape mismatch).</summary>
    public static int MaxDifference(int[][] ours, int[][] theirs, string what)
    {
        if (ours.Length != theirs.Length) throw new InvalidOperationException($"{what}: {ours.Length} frames vs the peer's {theirs.Length}");
        var max = 0;
        for (var f = 0; f < ours.Length; f++)
        {
            if (ours[f].Length != theirs[f].Length) throw new InvalidOperationException($"{what}: frame {f} has {ours[f].Length} samples vs the peer's {theirs[f].Length}");
            for (var i = 0; i < ours[f].Length; i++) max = Math.Max(max, Math.Abs(ours[f][i] - theirs[f][i]));
        }
        return max;
    }
}

/// <summary>A fact that needs the pydicom corpus, dcmtk's JPEG tools and GDCM's gdcmconv.</summary>
public sealed class CodecPeerFactAttribute : FactAttribute
{
    public CodecPeerFactAttribute()
    {
        if (!Corpus.HasPydicom || !CodecPeers.HasDcmtk || !CodecPeers.HasGdcm)
            Skip = "pydicom corpus, dcmtk (dcmdjpeg, dcmdjpls) or GDCM (gdcmconv) not installed (apt-get install -y python3-pydicom dcmtk libgdcm-tools)";
    }
}
