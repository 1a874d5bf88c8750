namespace MedImaging.Dicom;

/// <summary>Turns a greyscale frame into 8-bit display values: modality LUT, then the VOI window (PS3.3 C.11.2.1.2).</summary>
public static class DicomImageRenderer
{
    /// <summary>Renders a frame with the dataset's first Window Center/Width (or the frame's value range when absent).
    /// MONOCHROME1 is inverted so that the output is always "bright = high".</summary>
    public static byte[] RenderGray8(DicomPixelData pixels, int frame, double? windowCenter = null, double? windowWidth = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.SamplesPerPixel != 1) throw new NotSupportedException("Windowing applies to greyscale images only.");
        var values = pixels.GetFrameValues(frame);
        var center = windowCenter ?? pixels.Dataset.GetDouble(DicomTags.WindowCenter);
        var width = windowWidth ?? pixels.Dataset.GetDouble(DicomTags.WindowWidth);
        if (center is null || width is null || width < 1)
        {
            var (min, max) = (values.Min(), values.Max());
            center = (min + max) / 2;
            width = Math.Max(1, max - min + 1);
        }
        var output = new byte[values.Length];
        var invert = pixels.PhotometricInterpretation == "MONOCHROME1";
        for (var i = 0; i < values.Length; i++)
        {
            var y = ApplyWindow(values[i], center.Value, width.Value, 0, 255);
            output[i] = (byte)Math.Round(invert ? 255 - y : y);
        }
        return output;
    }

    /// <summary>The LINEAR VOI function of PS3.3 C.11.2.1.2.1.</summary>
    public static double ApplyWindow(double x, double center, double width, double yMin, double yMax)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), "Window width must be at least 1.");
        if (x <= center - 0.5 - (width - 1) / 2) return yMin;
        if (x > center - 0.5 + (width - 1) / 2) return yMax;
        return ((x - (center - 0.5)) / (width - 1) + 0.5) * (yMax - yMin) + yMin;
    }
}
