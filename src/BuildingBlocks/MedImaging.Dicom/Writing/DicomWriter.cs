using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>
/// Writes Part-10 files (PS3.10 §7) in explicit or implicit VR little endian (encapsulated datasets keep their
/// compressed syntax): preamble, "DICM", file meta information with its group length, then the dataset with
/// sequences and items of undefined length and every value padded to even length with the VR's pad byte.
/// </summary>
public static class DicomWriter
{
    /// <summary>Implementation Class UID of this library (a UUID-derived OID under 2.25, PS3.5 §B.2).</summary>
    public const string ImplementationClassUid = "2.25.216542375926430297718843406216327925331";

    /// <summary>Implementation Version Name written in the file meta information.</summary>
    public const string ImplementationVersionName = "MEDIMAGING_DCM1";

    /// <summary>Writes a file to a path.</summary>
    public static void Write(DicomFile file, string path, DicomTransferSyntax? transferSyntax = null)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        Write(file, fs, transferSyntax);
    }

    /// <summary>Writes a file to a stream. The transfer syntax defaults to the file's when it is explicit VR little endian,
    /// implicit VR little endian or encapsulated, else explicit VR little endian (big endian and deflated are read-only).</summary>
    public static void Write(DicomFile file, Stream stream, DicomTransferSyntax? transferSyntax = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(stream);
        var ts = transferSyntax ?? ChooseSyntax(file);
        if (ts.IsBigEndian || ts.IsDeflated) throw new DicomUnsupportedTransferSyntaxException(ts.Uid);
        if (ts.IsEncapsulated != file.Dataset.Any(e => e is DicomFragmentSequence) && file.Dataset.Contains(DicomTags.PixelData))
            throw new DicomUnsupportedTransferSyntaxException(ts.Uid); // would need transcoding of the pixel data
        var output = new BufferedStream(stream, 64 * 1024);
        output.Write(new byte[128]);
        output.Write("DICM"u8);
        var meta = BuildMeta(file, ts);
        var body = new MemoryStream();
        var metaWriter = new ElementWriter(body, explicitVR: true);
        foreach (var e in meta) if (e.Tag.Element != 0) metaWriter.Write(e);
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)body.Length);
        new ElementWriter(output, true).Write(new DicomElement(new DicomTag(0x00020000), DicomVR.UL, groupLength));
        body.Position = 0;
        body.CopyTo(output);
        WriteDataset(file.Dataset, output, ts);
        output.Flush();
    }

    /// <summary>Writes a dataset without preamble or meta information.</summary>
    public static void WriteDataset(DicomDataset dataset, Stream stream, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        var writer = new ElementWriter(stream, transferSyntax.IsExplicitVR);
        foreach (var e in dataset)
        {
            // Group 0002 belongs in the meta header; dataset group lengths are retired and would be stale after edits.
            if (e.Tag.Group == 0x0002 || e.Tag.IsGroupLength) continue;
            writer.Write(e);
        }
    }

    private static DicomTransferSyntax ChooseSyntax(DicomFile file)
    {
        var ts = file.TransferSyntax;
        if (ts.IsEncapsulated) return ts;
        return ts == DicomTransferSyntax.ImplicitVRLittleEndian ? ts : DicomTransferSyntax.ExplicitVRLittleEndian;
    }

    private static DicomDataset BuildMeta(DicomFile file, DicomTransferSyntax ts)
    {
        var old = file.FileMetaInformation;
        var meta = new DicomDataset();
        meta.Add(new DicomElement(new DicomTag(0x00020001), DicomVR.OB, new byte[] { 0, 1 }));
        // PS3.10 §7.1: the media storage UIDs repeat the dataset's SOP Class and Instance UIDs.
        if ((file.Dataset.GetString(DicomTags.SOPClassUID) ?? old.GetString(DicomTags.MediaStorageSOPClassUID)) is { Length: > 0 } sopClass)
            meta.Add(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        if ((file.Dataset.GetString(DicomTags.SOPInstanceUID) ?? old.GetString(DicomTags.MediaStorageSOPInstanceUID)) is { Length: > 0 } sopInstance)
            meta.Add(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
        meta.Add(DicomTags.TransferSyntaxUID, DicomVR.UI, ts.Uid);
        meta.Add(DicomTags.ImplementationClassUID, DicomVR.UI, ImplementationClassUid);
        meta.Add(DicomTags.ImplementationVersionName, DicomVR.SH, ImplementationVersionName);
        foreach (var e in old)
            if (e.Tag.Value is 0x00020016 or 0x00020017 or 0x00020018 or 0x00020100 or 0x00020102) meta.Add(e);
        return meta;
    }
}
