using System.Buffers.Binary;

namespace MedImaging.Dicom.Tests.Peers;

/// <summary>
/// Native sources for the codec tests, all from real files: pydicom's CT and MR slices, its 2-frame 8- and 16-bit RGB
/// (RLE in the corpus, decompressed by dcmtk's dcmdrle), a 3-frame 12-bit CT built with our writer from CT_small's
/// header and pixels, and GDCM's example 8-bit JPEG lossless image (Debian libgdcm3.0 docs) decompressed by gdcmconv.
/// Compressed variants are made from these by dcmtk (dcmcjpeg, dcmcjpls) and GDCM (gdcmconv).
/// </summary>
internal static class CodecCorpus
{
    private static readonly Lazy<Sources> s_sources = new(Build);

    public static string CtSmall => Corpus.Get("CT_small.dcm");
    public static string MrSmall => Corpus.Get("MR_small.dcm");
    public static string YbrFull422 => Corpus.Get("SC_ybr_full_422_uncompressed.dcm");
    public static string Rgb8TwoFrames => s_sources.Value.Rgb8;
    public static string Rgb16TwoFrames => s_sources.Value.Rgb16;
    public static string Rgb16 => s_sources.Value.Rgb16Single;
    public static string Ct12ThreeFrames => s_sources.Value.Ct12;
    public static string Mono8 => s_sources.Value.Mono8;

    /// <summary>dicom3tools' example image shipped by Debian's dicom3tools package (360x360, 12 of 16 bits, MR).</summary>
    public const string Dicom3ToolsExample = "/usr/share/doc/dicom3tools/examples/0051.dcm";

    /// <summary>GDCM's example image shipped by Debian's libgdcm3.0 package (JPEG lossless SV1, 8-bit).</summary>
    public const string GdcmExample = "/usr/share/doc/libgdcm3.0/examples/00191113.dcm";

    private sealed record Sources(string Rgb8, string Rgb16, string Rgb16Single, string Ct12, string Mono8);

    private static Sources Build()
    {
        var rgb8 = Run("/usr/bin/dcmdrle", "rgb8-2frame.dcm", Corpus.Get("SC_rgb_rle_2frame.dcm"));
        var rgb16 = Run("/usr/bin/dcmdrle", "rgb16-2frame.dcm", Corpus.Get("SC_rgb_rle_16bit_2frame.dcm"));
        var rgb16Single = Run("/usr/bin/dcmdrle", "rgb16.dcm", Corpus.Get("SC_rgb_rle_16bit.dcm"));
        var mono8 = File.Exists(GdcmExample) ? CodecPeers.Compress("/usr/bin/gdcmconv", "mono8.dcm", GdcmExample, "--raw") : "";
        return new Sources(rgb8, rgb16, rgb16Single, BuildCt12(), mono8);
    }

    private static string Run(string exe, string name, string input) => CodecPeers.Compress(exe, name, input);

    /// <summary>CT_small's Hounsfield values + 1024 as unsigned 12-bit (clamped), three frames: as is, transposed, flipped.</summary>
    private static string BuildCt12()
    {
        var path = Path.Combine(CodecPeers.Work, "ct12-3frame.dcm");
        if (File.Exists(path)) return path;
        var file = DicomFile.Open(CtSmall);
        var px = DicomPixelData.Create(file);
        var v = px.GetStoredValues(0);
        int n = px.Rows, size = n * n;
        var bytes = new byte[3 * size * 2];
        for (var y = 0; y < n; y++)
            for (var x = 0; x < n; x++)
            {
                int Cell(int i) => Math.Clamp(v[i] + 1024, 0, 4095);
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * (y * n + x)), (ushort)Cell(y * n + x));
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * (size + y * n + x)), (ushort)Cell(x * n + y));
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * (2 * size + y * n + x)), (ushort)Cell((n - 1 - y) * n + x));
            }
        var ds = file.Dataset.Clone();
        ds.Add(DicomTags.BitsStored, DicomVR.US, "12").Add(DicomTags.HighBit, DicomVR.US, "11").Add(DicomTags.PixelRepresentation, DicomVR.US, "0")
          .Add(DicomTags.NumberOfFrames, DicomVR.IS, "3").Add(DicomTags.RescaleIntercept, DicomVR.DS, "-1024");
        ds.Add(new DicomElement(DicomTags.PixelData, DicomVR.OW, bytes));
        DicomWriter.Write(new DicomFile(file.FileMetaInformation, ds, DicomTransferSyntax.ExplicitVRLittleEndian), path);
        return path;
    }
}
