namespace MedImaging.Dicom;

/// <summary>
/// Display values from frames. Greyscale: stored values → Modality LUT or rescale (PS3.3 C.11.1) → VOI LUT or window
/// (C.11.2) → MONOCHROME1 inversion, 8 bits out. Colour: RGB, YBR_FULL, YBR_FULL_422 (C.7.6.3.1.2) and PALETTE COLOR
/// (C.7.6.3.1.5/6, C.7.9) to 8-bit RGB.
/// </summary>
public static class DicomImageRenderer
{
    /// <summary>Renders a greyscale frame. An explicit window wins; otherwise the dataset's first VOI LUT, else its first
    /// window (with its VOI LUT Function), else the frame's value range. MONOCHROME1 is inverted so that the output is
    /// always "bright = high".</summary>
    public static byte[] RenderGray8(DicomPixelData pixels, int frame, double? windowCenter = null, double? windowWidth = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var modality = DicomModalityTransform.FromDataset(pixels.Dataset);
        DicomVoiTransform? voi;
        if (windowCenter is { } c && windowWidth is { } w)
            voi = DicomVoiTransform.Window(c, w, DicomVoiTransform.ParseFunction(pixels.Dataset.GetString(DicomTags.VOILUTFunction)));
        else voi = DicomVoiTransform.FromDataset(pixels.Dataset, modality);
        return RenderGray8(pixels, frame, modality, voi);
    }

    /// <summary>Renders a greyscale frame with the given transforms; a null <paramref name="voi"/> windows the frame's
    /// value range after the modality transform.</summary>
    public static byte[] RenderGray8(DicomPixelData pixels, int frame, DicomModalityTransform modality, DicomVoiTransform? voi)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(modality);
        if (pixels.SamplesPerPixel != 1) throw new NotSupportedException($"Greyscale rendering needs 1 sample per pixel; {pixels.PhotometricInterpretation} has {pixels.SamplesPerPixel}.");
        var stored = pixels.GetStoredValues(frame);
        var values = new double[stored.Length];
        for (var i = 0; i < stored.Length; i++) values[i] = modality.Apply(stored[i]);
        if (voi is null)
        {
            var (min, max) = (values.Min(), values.Max());
            voi = DicomVoiTransform.Window((min + max) / 2 + 0.5, Math.Max(1, max - min + 1));
        }
        var output = new byte[values.Length];
        var invert = pixels.PhotometricInterpretation == "MONOCHROME1";
        for (var i = 0; i < values.Length; i++)
        {
            var y = voi.Apply(values[i], 0, 255);
            output[i] = (byte)Math.Round(invert ? 255 - y : y, MidpointRounding.AwayFromZero);
        }
        return output;
    }

    /// <summary>The LINEAR VOI function of PS3.3 C.11.2.1.2.1.</summary>
    public static double ApplyWindow(double x, double center, double width, double yMin, double yMax)
        => DicomVoiTransform.ApplyWindow(x, center, width, yMin, yMax, DicomVoiLutFunction.Linear);

    /// <summary>
    /// Renders a frame as 8-bit RGB triplets (row by row). RGB samples wider than 8 bits keep their top 8 bits; YBR_FULL
    /// and YBR_FULL_422 (the latter already expanded by <see cref="DicomPixelData.GetFrame"/> for native data) are
    /// converted with <see cref="DicomColor.YbrFullToRgb"/>; PALETTE COLOR goes through its tables (16-bit entries keep
    /// their top 8 bits); greyscale is rendered with <see cref="RenderGray8(DicomPixelData, int, double?, double?)"/> and repeated.
    /// </summary>
    public static byte[] RenderRgb24(DicomPixelData pixels, int frame)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        // What the decoded frame holds, not what the dataset says: a YBR JPEG frame is already RGB once decoded, and
        // converting it again would shift every colour.
        var pi = pixels.FramePhotometricInterpretation;
        var n = pixels.Rows * pixels.Columns;
        var rgb = new byte[n * 3];
        switch (pi)
        {
            case "MONOCHROME1" or "MONOCHROME2":
                var gray = RenderGray8(pixels, frame);
                for (var i = 0; i < n; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray[i];
                return rgb;
            case "PALETTE COLOR":
                if (pixels.SamplesPerPixel != 1) throw new DicomReadException($"PALETTE COLOR needs (0028,0002) Samples per Pixel 1, not {pixels.SamplesPerPixel}.");
                var palette = DicomPaletteColorLut.FromDataset(pixels.Dataset);
                var indices = pixels.GetStoredValues(frame);
                for (var i = 0; i < n; i++)
                {
                    rgb[3 * i] = To8(palette.Red[indices[i]], palette.Red.BitsPerEntry);
                    rgb[3 * i + 1] = To8(palette.Green[indices[i]], palette.Green.BitsPerEntry);
                    rgb[3 * i + 2] = To8(palette.Blue[indices[i]], palette.Blue.BitsPerEntry);
                }
                return rgb;
            case "RGB" or "YBR_FULL" or "YBR_FULL_422":
                if (pixels.SamplesPerPixel != 3) throw new DicomReadException($"{pi} needs (0028,0002) Samples per Pixel 3, not {pixels.SamplesPerPixel}.");
                var s = pixels.GetStoredValues(frame);
                var bits = pixels.BitsStored;
                if (pi == "RGB")
                {
                    for (var i = 0; i < s.Length; i++) rgb[i] = To8(s[i], bits);
                    return rgb;
                }
                for (var i = 0; i < n; i++)
                {
                    var (r, g, b) = DicomColor.YbrFullToRgb(s[3 * i], s[3 * i + 1], s[3 * i + 2], bits);
                    (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = (To8(r, bits), To8(g, bits), To8(b, bits));
                }
                return rgb;
            default:
                throw new NotSupportedException($"(0028,0004) Photometric Interpretation '{pi}' is not rendered (supported: MONOCHROME1, MONOCHROME2, PALETTE COLOR, RGB, YBR_FULL, YBR_FULL_422).");
        }
    }

    private static byte To8(int value, int bits) => (byte)(bits <= 8 ? value : value >> (bits - 8));
}

/// <summary>Colour space conversions of PS3.3 C.7.6.3.1.2.</summary>
public static class DicomColor
{
    /// <summary>
    /// YBR_FULL (and YBR_FULL_422 once expanded) to RGB: the inverse of PS3.3 C.7.6.3.1.2's equations (those of
    /// ITU-T T.871 / JFIF), R = Y + 1.402 (Cr − h), G = Y − 0.344136 (Cb − h) − 0.714136 (Cr − h), B = Y + 1.772 (Cb − h),
    /// with h = 2^(bits−1) (128 for 8 bits), rounded to the nearest integer and clamped to 0 … 2^bits − 1.
    /// </summary>
    public static (int R, int G, int B) YbrFullToRgb(int y, int cb, int cr, int bits = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 16);
        var half = 1 << (bits - 1);
        var max = (1 << bits) - 1;
        double dcb = cb - half, dcr = cr - half;
        return (Clamp(y + 1.402 * dcr, max), Clamp(y - 0.344136 * dcb - 0.714136 * dcr, max), Clamp(y + 1.772 * dcb, max));
    }

    private static int Clamp(double v, int max) => (int)Math.Clamp(Math.Floor(v + 0.5), 0, max);
}
