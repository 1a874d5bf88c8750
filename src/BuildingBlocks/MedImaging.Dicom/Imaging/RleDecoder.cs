using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits segment per byte plane.</summary>
public static class RleDecoder
{
    /// <summary>Decodes one frame into native little-endian, sample-interleaved bytes (planar configuration 0).</summary>
    public static byte[] Decode(ReadOnlySpan<byte> frame, int rows, int columns, int samplesPerPixel, int bitsAllocated)
    {
        var bytesPerSample = bitsAllocated / 8;
        var pixels = (long)rows * columns;
        var segments = samplesPerPixel * bytesPerSample;
        // PackBits expands at most 128 bytes per 2 input bytes: a frame claiming more output than that is corrupt,
        // and its dimensions must not drive the allocation.
        if (pixels * segments > (long)frame.Length * 64 || pixels * segments > Array.MaxLength)
            throw new DicomReadException($"RLE frame of {frame.Length} bytes cannot hold {rows}x{columns}x{segments} bytes.");
        if (frame.Length < 64) throw new DicomReadException("RLE frame shorter than its 64-byte header.");
        var count = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (count != segments) throw new DicomReadException($"RLE header has {count} segments, the image needs {segments}.");
        var output = new byte[pixels * segments];
        var plane = new byte[pixels];
        for (var s = 0; s < segments; s++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + 4 * s)..]);
            var end = s + 1 < segments ? BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + 4 * s)..]) : (uint)frame.Length;
            if (start < 64 || start > end || end > frame.Length) throw new DicomReadException($"RLE segment {s} offsets are out of range.");
            Array.Clear(plane);
            UnpackBits(frame[(int)start..(int)end], plane);
            // Segment order: sample by sample, most significant byte first (PS3.5 §G.2).
            var sample = s / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - s % bytesPerSample;
            var stride = segments;
            var offset = sample * bytesPerSample + byteInSample;
            for (var p = 0; p < plane.Length; p++) output[p * stride + offset] = plane[p];
        }
        return output;
    }

    /// <summary>PackBits (PS3.5 §G.3.1): n in 0..127 copies n+1 literal bytes, -127..-1 repeats the next byte 1-n times, -128 is a no-op.</summary>
    private static void UnpackBits(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int i = 0, o = 0;
        while (i < src.Length && o < dst.Length)
        {
            var n = (sbyte)src[i++];
            if (n >= 0)
            {
                var len = Math.Min(n + 1, Math.Min(src.Length - i, dst.Length - o));
                src.Slice(i, len).CopyTo(dst[o..]);
                i += n + 1;
                o += len;
            }
            else if (n != -128)
            {
                if (i >= src.Length) break;
                var len = Math.Min(1 - n, dst.Length - o);
                dst.Slice(o, len).Fill(src[i++]);
                o += len;
            }
        }
    }
}
