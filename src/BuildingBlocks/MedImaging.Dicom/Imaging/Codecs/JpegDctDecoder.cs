using JpegLibrary;

namespace MedImaging.Dicom.Codecs;

/// <summary>
/// JPEG baseline (8-bit) and extended (12-bit) DCT frames through the managed JpegLibrary (ADR 0013). JpegLibrary gives
/// each component's samples after the IDCT; chroma upsampling and YCbCr→RGB are done here the way libjpeg does them
/// (dcmtk and GDCM are built on it), so the result matches dcmdjpeg up to IDCT rounding.
/// </summary>
internal static class JpegDctDecoder
{
    public static byte[] Decode(byte[] data, DicomPixelData px)
    {
        var decoder = new JpegDecoder();
        int width, height, components, precision;
        int[][] planes;
        var h = new int[4];
        var v = new int[4];
        try
        {
            decoder.SetInput(data);
            decoder.Identify();
            width = decoder.Width;
            height = decoder.Height;
            components = decoder.NumberOfComponents;
            precision = decoder.Precision;
            FrameWriter.Check(px, "JPEG", width, height, components, precision);
            if (precision is not (8 or 12)) throw new DicomReadException($"JPEG DCT frame has {precision}-bit samples; only 8 and 12 are defined.");
            var writer = new PlaneWriter(width, height, components, (1 << precision) - 1);
            decoder.SetOutputWriter(writer);
            decoder.Decode();
            planes = writer.Planes;
            for (var c = 0; c < components; c++)
            {
                h[c] = decoder.GetHorizontalSampling(c);
                v[c] = decoder.GetVerticalSampling(c);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or ArgumentException or IndexOutOfRangeException or NotSupportedException)
        {
            throw new DicomReadException($"JPEG frame is not decodable: {ex.Message}", ex);
        }
        int hMax = h.Max(), vMax = v.Max();
        for (var c = 0; c < components; c++)
            if (h[c] != hMax || v[c] != vMax) planes[c] = JpegUpsampler.Upsample(planes[c], width, height, hMax / h[c], vMax / v[c]);
        var convert = components == 3 && px.PhotometricInterpretation is "YBR_FULL" or "YBR_FULL_422";
        if (convert) JpegColor.YCbCrToRgb(planes[0], planes[1], planes[2], precision);
        var frame = FrameWriter.Allocate(px);
        for (var c = 0; c < components; c++)
        {
            var plane = planes[c];
            for (var i = 0; i < plane.Length; i++) FrameWriter.Set(frame, px.BitsAllocated, (long)i * components + c, plane[i]);
        }
        return frame;
    }

    /// <summary>Collects JpegLibrary's 8x8 output blocks into one full-size plane per component (a subsampled
    /// component arrives replicated; <see cref="JpegUpsampler"/> takes one sample per replica).</summary>
    private sealed class PlaneWriter(int width, int height, int components, int max) : JpegBlockOutputWriter
    {
        public int[][] Planes { get; } = [.. Enumerable.Range(0, components).Select(_ => new int[width * height])];

        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            var plane = Planes[componentIndex];
            var block = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref blockRef, 64);
            for (var dy = 0; dy < 8 && y + dy < height; dy++)
                for (var dx = 0; dx < 8 && x + dx < width; dx++)
                    plane[(y + dy) * width + x + dx] = Math.Clamp((int)block[dy * 8 + dx], 0, max);
        }
    }
}
