using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>
/// The image pixel module of a dataset and access to its frames: native (8/16/32-bit, signed or unsigned, either planar
/// configuration, multi-frame, lazy or in memory), RLE Lossless, JPEG (baseline, extended, lossless), JPEG-LS and
/// JPEG 2000 (ADR 0013). Other encapsulated syntaxes (MPEG, HTJ2K) throw
/// <see cref="DicomUnsupportedTransferSyntaxException"/> rather than returning bytes that are not pixels.
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomElement _pixels;

    private DicomPixelData(DicomDataset ds, DicomTransferSyntax ts, DicomElement pixels)
    {
        Dataset = ds;
        TransferSyntax = ts;
        _pixels = pixels;
        Rows = ds.GetInt32(DicomTags.Rows) ?? 0;
        Columns = ds.GetInt32(DicomTags.Columns) ?? 0;
        SamplesPerPixel = ds.GetInt32(DicomTags.SamplesPerPixel) ?? 1;
        BitsAllocated = ds.GetInt32(DicomTags.BitsAllocated) ?? 8;
        BitsStored = ds.GetInt32(DicomTags.BitsStored) ?? BitsAllocated;
        HighBit = ds.GetInt32(DicomTags.HighBit) ?? BitsStored - 1;
        PixelRepresentation = ds.GetInt32(DicomTags.PixelRepresentation) ?? 0;
        PlanarConfiguration = ds.GetInt32(DicomTags.PlanarConfiguration) ?? 0;
        NumberOfFrames = Math.Max(1, (int)(ds.GetDouble(DicomTags.NumberOfFrames) ?? 1));
        PhotometricInterpretation = ds.GetString(DicomTags.PhotometricInterpretation) ?? "";
        RescaleSlope = ds.GetDouble(DicomTags.RescaleSlope) ?? 1;
        RescaleIntercept = ds.GetDouble(DicomTags.RescaleIntercept) ?? 0;
        if (Rows <= 0 || Columns <= 0 || SamplesPerPixel is < 1 or > 4 || BitsAllocated is not (1 or 8 or 16 or 32) || BitsStored < 1 || BitsStored > BitsAllocated)
            throw new DicomReadException($"Unsupported image pixel module: {Rows}x{Columns}, {SamplesPerPixel} samples, {BitsAllocated}/{BitsStored} bits.");
        FrameLength = (long)Rows * Columns * SamplesPerPixel * Math.Max(1, BitsAllocated / 8);
        if (FrameLength > Array.MaxLength) throw new DicomReadException($"A {Rows}x{Columns} frame of {FrameLength} bytes does not fit in one array.");
    }

    /// <summary>The pixel data of a file (its transfer syntax decides the decoding).</summary>
    public static DicomPixelData Create(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Create(file.Dataset, file.TransferSyntax);
    }

    /// <summary>The pixel data of a dataset encoded in <paramref name="transferSyntax"/>.</summary>
    public static DicomPixelData Create(DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var pixels = dataset.GetElement(DicomTags.PixelData) ?? throw new DicomReadException("The dataset has no (7FE0,0010) Pixel Data.");
        try { return new DicomPixelData(dataset, transferSyntax, pixels); }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
        {
            throw new DicomReadException($"The image pixel module is not readable: {ex.Message}", ex);
        }
    }

#pragma warning disable CS1591 // image pixel module attributes, named as PS3.3 C.7.6.3 names them
    public DicomDataset Dataset { get; }
    public DicomTransferSyntax TransferSyntax { get; }
    public int Rows { get; }
    public int Columns { get; }
    public int SamplesPerPixel { get; }
    public int BitsAllocated { get; }
    public int BitsStored { get; }
    public int HighBit { get; }
    public int PixelRepresentation { get; }
    public int PlanarConfiguration { get; }
    public int NumberOfFrames { get; }
    public string PhotometricInterpretation { get; }
    public double RescaleSlope { get; }
    public double RescaleIntercept { get; }
#pragma warning restore CS1591

    /// <summary>The photometric interpretation of what <see cref="GetFrame"/> returns, which differs from the dataset's
    /// where decoding converts colour: JPEG baseline/extended YBR_FULL(_422) decode to RGB (as dcmtk's dcmdjpeg does),
    /// JPEG 2000 YBR_ICT/YBR_RCT to RGB (as GDCM does), native YBR_FULL_422 is expanded to YBR_FULL (ADR 0013).</summary>
    public string FramePhotometricInterpretation => Codecs.PixelCodecs.DecodedPhotometricInterpretation(this);

    /// <summary>Bytes of one decoded frame.</summary>
    public long FrameLength { get; }

    /// <summary>One frame as native little-endian bytes. Native data keeps its planar configuration; RLE, JPEG, JPEG-LS
    /// and JPEG 2000 decode to interleaved samples (planar configuration 0) in cells of Bits Allocated, with the
    /// photometric interpretation <see cref="FramePhotometricInterpretation"/>. Lazy pixel data reads only this frame.</summary>
    public byte[] GetFrame(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, NumberOfFrames);
        if (_pixels is DicomFragmentSequence fragments)
        {
            if (TransferSyntax.Uid != DicomTransferSyntax.RleLossless.Uid && !Codecs.PixelCodecs.CanDecode(TransferSyntax.Uid))
                throw new DicomUnsupportedTransferSyntaxException(TransferSyntax.Uid);
            var data = FrameFragments.Collect(fragments, Dataset, index, NumberOfFrames);
            if (TransferSyntax.Uid != DicomTransferSyntax.RleLossless.Uid) return Codecs.PixelCodecs.Decode(this, data);
            return RleDecoder.Decode(data, Rows, Columns, SamplesPerPixel, BitsAllocated);
        }
        if (TransferSyntax.IsEncapsulated) throw new DicomUnsupportedTransferSyntaxException(TransferSyntax.Uid);
        if (BitsAllocated == 1) return GetBitFrame(index);
        // Native YBR_FULL_422 stores two luminance samples per shared chroma pair (PS3.3 C.7.6.3.1.2): 2/3 of the size.
        var subsampled = PhotometricInterpretation == "YBR_FULL_422" && SamplesPerPixel == 3;
        var stored = subsampled ? FrameLength / 3 * 2 : FrameLength;
        var offset = index * stored;
        if (offset + stored > _pixels.Length)
            throw new DicomReadException($"Pixel data holds {_pixels.Length} bytes; frame {index} needs bytes {offset}..{offset + stored}.");
        var frame = new byte[stored];
        if (_pixels.BulkData is { } bulk) bulk.Read(offset, frame);
        else _pixels.Buffer.Span.Slice((int)offset, (int)stored).CopyTo(frame);
        if (TransferSyntax.IsBigEndian && BitsAllocated == 32 && _pixels.VR == DicomVR.OW)
        {
            // The reader swapped OW as 16-bit words; a 32-bit big endian cell also needs its two words exchanged.
            for (var i = 0; i + 4 <= frame.Length; i += 4) (frame[i], frame[i + 1], frame[i + 2], frame[i + 3]) = (frame[i + 2], frame[i + 3], frame[i], frame[i + 1]);
        }
        return subsampled ? Expand422(frame, BitsAllocated / 8) : frame;
    }

    /// <summary>1-bit data (segmentations, overlays in pixel data): frames follow each other bit by bit, the first pixel
    /// in the least significant bit (PS3.5 §8.1.1, §D.2). Returned unpacked, one byte (0 or 1) per sample.</summary>
    private byte[] GetBitFrame(int index)
    {
        var firstBit = index * FrameLength;
        var firstByte = firstBit / 8;
        var byteCount = (firstBit + FrameLength + 7) / 8 - firstByte;
        if (firstByte + byteCount > _pixels.Length)
            throw new DicomReadException($"Pixel data holds {_pixels.Length} bytes; 1-bit frame {index} needs bytes {firstByte}..{firstByte + byteCount}.");
        var packed = new byte[byteCount];
        if (_pixels.BulkData is { } bulk) bulk.Read(firstByte, packed);
        else _pixels.Buffer.Span.Slice((int)firstByte, (int)byteCount).CopyTo(packed);
        var frame = new byte[FrameLength];
        var shift = (int)(firstBit % 8);
        for (var i = 0; i < frame.Length; i++)
        {
            var bit = i + shift;
            frame[i] = (byte)((packed[bit >> 3] >> (bit & 7)) & 1);
        }
        return frame;
    }

    private static byte[] Expand422(byte[] src, int bytes)
    {
        // Y1 Y2 Cb Cr -> Y1 Cb Cr Y2 Cb Cr
        var dst = new byte[src.Length / 2 * 3];
        ReadOnlySpan<int> order = [0, 2, 3, 1, 2, 3];
        for (int i = 0, o = 0; i + 4 * bytes <= src.Length; i += 4 * bytes)
            foreach (var k in order)
            {
                Array.Copy(src, i + k * bytes, dst, o, bytes);
                o += bytes;
            }
        return dst;
    }

    /// <summary>True when <see cref="GetFrame"/> returns planar (colour-by-plane) data.</summary>
    public bool FrameIsPlanar => PlanarConfiguration == 1 && SamplesPerPixel > 1 && _pixels is not DicomFragmentSequence;

    /// <summary>One frame as stored values (sign-extended from Bits Stored), samples interleaved, no LUT applied.</summary>
    public int[] GetStoredValues(int index)
    {
        var frame = GetFrame(index);
        var bytes = Math.Max(1, BitsAllocated / 8);
        var n = (int)(FrameLength / bytes);
        var values = new int[n];
        var shift = HighBit + 1 - BitsStored;
        var mask = BitsStored == 32 ? -1L : (1L << BitsStored) - 1;
        var pixels = Rows * Columns;
        for (var i = 0; i < n; i++)
        {
            long raw = bytes switch
            {
                1 => frame[i],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(i * 2)),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(i * 4)),
            };
            var v = (raw >> Math.Max(0, shift)) & mask;
            if (PixelRepresentation == 1 && BitsStored < 64 && (v & (1L << (BitsStored - 1))) != 0) v -= 1L << BitsStored;
            // Planar data (RRR…GGG…BBB…) is reordered to interleaved (RGBRGB…).
            var target = FrameIsPlanar ? i % pixels * SamplesPerPixel + i / pixels : i;
            values[target] = (int)v;
        }
        return values;
    }

    /// <summary>One frame with the modality transform applied (PS3.3 C.11.1: the Modality LUT Sequence, else Rescale
    /// Slope and Intercept; see <see cref="DicomModalityTransform"/>), e.g. Hounsfield units.</summary>
    public double[] GetFrameValues(int index)
    {
        var stored = GetStoredValues(index);
        var modality = DicomModalityTransform.FromDataset(Dataset);
        var result = new double[stored.Length];
        for (var i = 0; i < stored.Length; i++) result[i] = modality.Apply(stored[i]);
        return result;
    }
}
