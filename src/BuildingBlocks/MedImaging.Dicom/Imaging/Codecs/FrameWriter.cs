using System.Buffers.Binary;

namespace MedImaging.Dicom.Codecs;

/// <summary>Puts decoded samples into a frame of native little-endian cells of Bits Allocated, samples interleaved.</summary>
internal static class FrameWriter
{
    public static byte[] Allocate(DicomPixelData px) => new byte[px.FrameLength];

    /// <summary>Stores <paramref name="value"/> (its low Bits Allocated bits: signed values are two's complement,
    /// which <see cref="DicomPixelData.GetStoredValues"/> sign-extends from Bits Stored) at sample index
    /// <paramref name="i"/>.</summary>
    public static void Set(byte[] frame, int bitsAllocated, long i, int value)
    {
        switch (bitsAllocated)
        {
            case 8: frame[i] = (byte)value; break;
            case 16: BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan((int)(i * 2)), (ushort)value); break;
            case 32: BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan((int)(i * 4)), value); break;
            default: throw new DicomReadException($"Bits Allocated {bitsAllocated} is not supported for compressed pixel data.");
        }
    }

    /// <summary>Checks the decoded image against the image pixel module, naming both.</summary>
    public static void Check(DicomPixelData px, string codec, int width, int height, int components, int precision)
    {
        if (width != px.Columns || height != px.Rows || components != px.SamplesPerPixel)
            throw new DicomReadException($"{codec} frame is {width}x{height} with {components} components; the dataset says "
                + $"(0028,0011) Columns {px.Columns}, (0028,0010) Rows {px.Rows}, (0028,0002) Samples per Pixel {px.SamplesPerPixel}.");
        if (precision > px.BitsAllocated || px.BitsAllocated is not (8 or 16 or 32))
            throw new DicomReadException($"{codec} frame has {precision}-bit samples; (0028,0100) Bits Allocated is {px.BitsAllocated}.");
    }
}
