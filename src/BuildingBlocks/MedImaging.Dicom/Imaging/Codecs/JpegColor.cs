namespace MedImaging.Dicom.Codecs;

/// <summary>YCbCr (JFIF, full range) to RGB with libjpeg's fixed-point arithmetic (jdcolor.c ycc_rgb_convert),
/// so the result is the one dcmdjpeg writes for YBR_FULL and YBR_FULL_422.</summary>
internal static class JpegColor
{
    private const int ScaleBits = 16;
    private const int OneHalf = 1 << (ScaleBits - 1);

    private static int Fix(double x) => (int)(x * (1 << ScaleBits) + 0.5);

    public static void YCbCrToRgb(int[] y, int[] cb, int[] cr, int precision)
    {
        var max = (1 << precision) - 1;
        var center = 1 << (precision - 1);
        for (var i = 0; i < y.Length; i++)
        {
            long b = cb[i] - center, r = cr[i] - center;
            var rr = y[i] + (int)((Fix(1.40200) * r + OneHalf) >> ScaleBits);
            var gg = y[i] + (int)((-Fix(0.34414) * b + OneHalf - Fix(0.71414) * r) >> ScaleBits);
            var bb = y[i] + (int)((Fix(1.77200) * b + OneHalf) >> ScaleBits);
            y[i] = Math.Clamp(rr, 0, max);
            cb[i] = Math.Clamp(gg, 0, max);
            cr[i] = Math.Clamp(bb, 0, max);
        }
    }
}
