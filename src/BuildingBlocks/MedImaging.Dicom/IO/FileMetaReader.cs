using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>File meta information (PS3.10 §7.1): group 0002, always explicit VR little endian.</summary>
internal static class FileMetaReader
{
    public static void Read(ByteSource src, DicomDataset meta)
    {
        // Group 0002 ends where the first element of another group starts. Group length is not trusted: many
        // writers get it wrong, and it is optional in old files.
        var reader = new DicomReader(src, DicomReaderOptions.Default with { MaxElementLength = 1 << 20 }, null);
        while (src.TryPeek(8, out var h) && BinaryPrimitives.ReadUInt16LittleEndian(h) == 0x0002)
        {
            var isExplicit = char.IsAsciiLetterUpper((char)h[4]) && char.IsAsciiLetterUpper((char)h[5]);
            reader.ReadOneElement(meta, isExplicit);
        }
    }

    public static DicomTransferSyntax TransferSyntaxOf(DicomDataset meta, ByteSource src)
    {
        var uid = meta.GetString(DicomTags.TransferSyntaxUID);
        if (!string.IsNullOrEmpty(uid)) return DicomTransferSyntax.Lookup(uid);
        // No meta (or no transfer syntax in it): guess from the first element, as dcmtk and pydicom do.
        var (isExplicit, isBig) = Detect(src, true, false);
        return isBig ? DicomTransferSyntax.ExplicitVRBigEndian
            : isExplicit ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }

    /// <summary>The encoding of the first dataset element: the transfer syntax's, unless the bytes plainly say otherwise.</summary>
    public static (bool Explicit, bool BigEndian) DetectEncoding(ByteSource src, DicomTransferSyntax ts)
    {
        // A declared transfer syntax is trusted for byte order; only implicit/explicit VR is checked, because
        // writers that label implicit VR data as explicit (and the reverse) are common (pydicom checks the same).
        var (isExplicit, _) = Detect(src, ts.IsExplicitVR, ts.IsBigEndian);
        return (isExplicit, ts.IsBigEndian);
    }

    private static (bool, bool) Detect(ByteSource src, bool isExplicit, bool isBig)
    {
        if (!src.TryPeek(8, out var h)) return (isExplicit, isBig);
        var looksExplicit = DicomVR.TryParse([(char)h[4], (char)h[5]], out _);
        var le = BinaryPrimitives.ReadUInt16LittleEndian(h);
        var be = BinaryPrimitives.ReadUInt16BigEndian(h);
        var looksBig = be < le && looksExplicit;
        if (looksExplicit != isExplicit || (looksBig != isBig && looksExplicit)) return (looksExplicit, looksBig);
        return (isExplicit, isBig);
    }
}
