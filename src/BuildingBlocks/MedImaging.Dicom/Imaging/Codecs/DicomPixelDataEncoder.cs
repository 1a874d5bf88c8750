using System.Buffers.Binary;
using System.Globalization;

namespace MedImaging.Dicom;

/// <summary>
/// Turns a dataset's frames (native, or any syntax <see cref="DicomPixelData"/> decodes) into encapsulated JPEG-LS
/// Pixel Data (PS3.5 §A.4: a Basic Offset Table, then one fragment per frame), with the attributes the new syntax
/// requires, ready for <see cref="DicomWriter"/>. Lossless (1.2.840.10008.1.2.4.80) keeps every stored value;
/// near-lossless (.81) bounds each sample's error by the NEAR parameter. Needs CharLS (Debian libcharls2).
/// </summary>
public static class DicomPixelDataEncoder
{
    /// <summary>JPEG-LS Lossless Image Compression.</summary>
    public static DicomTransferSyntax JpegLsLossless => DicomTransferSyntax.Lookup(Codecs.PixelCodecs.JpegLsLossless);

    /// <summary>JPEG-LS Lossy (Near-Lossless) Image Compression.</summary>
    public static DicomTransferSyntax JpegLsNearLossless => DicomTransferSyntax.Lookup(Codecs.PixelCodecs.JpegLsNearLossless);

    /// <summary>A copy of <paramref name="file"/> whose pixel data is encoded in <paramref name="transferSyntax"/>
    /// (JPEG-LS lossless, or near-lossless with <paramref name="nearLossless"/> ≥ 1). The input is not changed.</summary>
    public static DicomFile Encode(DicomFile file, DicomTransferSyntax transferSyntax, int nearLossless = 0)
    {
        ArgumentNullException.ThrowIfNull(file);
        var dataset = Encode(file.Dataset, file.TransferSyntax, transferSyntax, nearLossless);
        return new DicomFile(file.FileMetaInformation, dataset, transferSyntax);
    }

    /// <summary>A copy of <paramref name="dataset"/> (encoded in <paramref name="source"/>) with its pixel data in
    /// <paramref name="target"/>.</summary>
    public static DicomDataset Encode(DicomDataset dataset, DicomTransferSyntax source, DicomTransferSyntax target, int nearLossless = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (target.Uid == Codecs.PixelCodecs.JpegLsLossless && nearLossless != 0)
            throw new ArgumentOutOfRangeException(nameof(nearLossless), nearLossless, "JPEG-LS Lossless needs NEAR 0; use 1.2.840.10008.1.2.4.81 for near-lossless.");
        if (target.Uid == Codecs.PixelCodecs.JpegLsNearLossless && nearLossless is < 1 or > 255)
            throw new ArgumentOutOfRangeException(nameof(nearLossless), nearLossless, "JPEG-LS near-lossless needs NEAR between 1 and 255.");
        if (target.Uid is not (Codecs.PixelCodecs.JpegLsLossless or Codecs.PixelCodecs.JpegLsNearLossless))
            throw new DicomUnsupportedTransferSyntaxException(target.Uid);
        var px = DicomPixelData.Create(dataset, source);
        if (px.BitsStored > 16 || px.BitsAllocated is not (8 or 16) || px.SamplesPerPixel is not (1 or 3))
            throw new DicomUnsupportedTransferSyntaxException(target.Uid, new NotSupportedException(
                $"JPEG-LS encodes 1 or 3 samples of at most 16 bits; this image has {px.SamplesPerPixel} samples, Bits Allocated {px.BitsAllocated}, Bits Stored {px.BitsStored}."));
        var photometric = px.FramePhotometricInterpretation;
        var fragments = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        var offsets = new byte[4 * px.NumberOfFrames];
        long position = 0;
        long encodedBytes = 0;
        for (var f = 0; f < px.NumberOfFrames; f++)
        {
            var bytes = Codecs.JpegLsCodec.Encode(px.GetStoredValues(f), px.Columns, px.Rows, px.SamplesPerPixel, Math.Max(2, px.BitsStored), nearLossless);
            if (position > uint.MaxValue) throw new InvalidOperationException("Encoded frames exceed the 4 GiB a Basic Offset Table can address.");
            BinaryPrimitives.WriteUInt32LittleEndian(offsets.AsSpan(4 * f), (uint)position);
            fragments.Fragments.Add(new DicomElement(new DicomTag(0xFFFEE000), DicomVR.OB, bytes));
            position += 8 + bytes.Length + (bytes.Length & 1); // the writer pads odd fragments to even length
            encodedBytes += bytes.Length;
        }
        fragments.OffsetTable = offsets;
        var result = dataset.Clone();
        result.Add(fragments);
        result.Remove(new DicomTag(0x7FE00001)); // an Extended Offset Table of the old encoding would be wrong
        result.Remove(new DicomTag(0x7FE00002));
        result.Add(DicomTags.PhotometricInterpretation, DicomVR.CS, photometric);
        // Decoded values sit in the low bits: Bits Stored stays, High Bit follows it.
        result.Add(DicomTags.HighBit, DicomVR.US, (px.BitsStored - 1).ToString(CultureInfo.InvariantCulture));
        if (px.SamplesPerPixel > 1) result.Add(DicomTags.PlanarConfiguration, DicomVR.US, "0");
        if (nearLossless > 0)
        {
            // PS3.3 C.7.6.1.1.5: once lossy, always flagged as lossy, with method and ratio appended.
            result.Add(DicomTags.LossyImageCompression, DicomVR.CS, "01");
            var ratio = (double)px.FrameLength * px.NumberOfFrames / Math.Max(1, encodedBytes);
            result.Add(DicomTags.LossyImageCompressionRatio, DicomVR.DS, [.. dataset.GetStrings(DicomTags.LossyImageCompressionRatio), ratio.ToString("0.###", CultureInfo.InvariantCulture)]);
            result.Add(DicomTags.LossyImageCompressionMethod, DicomVR.CS, [.. dataset.GetStrings(DicomTags.LossyImageCompressionMethod), "ISO_14495_1"]);
        }
        return result;
    }
}
