using System.Globalization;

namespace MedImaging.Dicom;

/// <summary>(0028,1056) VOI LUT Function (PS3.3 C.11.2.1.3).</summary>
public enum DicomVoiLutFunction
{
    /// <summary>LINEAR (C.11.2.1.2.1), the default: centre − 0.5, width − 1.</summary>
    Linear,

    /// <summary>LINEAR_EXACT (C.11.2.1.3.2): centre and width used as given.</summary>
    LinearExact,

    /// <summary>SIGMOID (C.11.2.1.3.1): range / (1 + exp(−4 (x − centre) / width)).</summary>
    Sigmoid,
}

/// <summary>
/// The VOI LUT stage of the greyscale pipeline (PS3.3 C.11.2): an item of (0028,3010) VOI LUT Sequence, or a window
/// (centre, width and VOI LUT Function).
/// </summary>
public sealed class DicomVoiTransform
{
    private DicomVoiTransform(DicomLut? lut, double center, double width, DicomVoiLutFunction function)
    {
        Lut = lut;
        WindowCenter = center;
        WindowWidth = width;
        Function = function;
    }

    /// <summary>The VOI LUT, or null for a window.</summary>
    public DicomLut? Lut { get; }

    /// <summary>Window Center (NaN for a LUT).</summary>
    public double WindowCenter { get; }

    /// <summary>Window Width (NaN for a LUT).</summary>
    public double WindowWidth { get; }

    /// <summary>The function applied to the window.</summary>
    public DicomVoiLutFunction Function { get; }

    /// <summary>A window. LINEAR needs a width of at least 1, LINEAR_EXACT and SIGMOID a width above 0.</summary>
    public static DicomVoiTransform Window(double center, double width, DicomVoiLutFunction function = DicomVoiLutFunction.Linear)
    {
        if (double.IsNaN(center) || double.IsNaN(width) || (function == DicomVoiLutFunction.Linear ? width < 1 : width <= 0))
            throw new ArgumentOutOfRangeException(nameof(width), $"Window width {width} is not valid for {function} (PS3.3 C.11.2.1.2, C.11.2.1.3).");
        return new DicomVoiTransform(null, center, width, function);
    }

    /// <summary>A VOI LUT.</summary>
    public static DicomVoiTransform FromLut(DicomLut lut)
    {
        ArgumentNullException.ThrowIfNull(lut);
        return new DicomVoiTransform(lut, double.NaN, double.NaN, DicomVoiLutFunction.Linear);
    }

    /// <summary>Parses (0028,1056) VOI LUT Function; absent means LINEAR.</summary>
    public static DicomVoiLutFunction ParseFunction(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "LINEAR" => DicomVoiLutFunction.Linear,
        "LINEAR_EXACT" => DicomVoiLutFunction.LinearExact,
        "SIGMOID" => DicomVoiLutFunction.Sigmoid,
        var other => throw new DicomReadException($"(0028,1056) VOI LUT Function '{other}' is not one of LINEAR, LINEAR_EXACT, SIGMOID (PS3.3 C.11.2.1.3)."),
    };

    /// <summary>
    /// The dataset's <paramref name="index"/>-th VOI transform: a VOI LUT Sequence item or a Window Center/Width pair, the
    /// LUT first when both are present and <paramref name="preferLut"/> (PS3.3 lets the application choose). Null when the
    /// dataset has neither. The VOI LUT's first mapped value is signed when the modality transform's output may be
    /// negative, unsigned after a Modality LUT (C.11.2.1.1).
    /// </summary>
    public static DicomVoiTransform? FromDataset(DicomDataset dataset, DicomModalityTransform modality, int index = 0, bool preferLut = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(modality);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var items = dataset.GetSequence(DicomTags.VOILUTSequence);
        var centers = Numbers(dataset, DicomTags.WindowCenter, "(0028,1050) Window Center");
        var widths = Numbers(dataset, DicomTags.WindowWidth, "(0028,1051) Window Width");
        var hasWindow = centers.Length > index && widths.Length > index;
        if (items.Count > index && (preferLut || !hasWindow))
        {
            var signed = modality.Lut is null && modality.OutputMin < 0;
            return FromLut(DicomLut.FromItem(items[index], signed, $"(0028,3010) VOI LUT Sequence item {(index + 1).ToString(CultureInfo.InvariantCulture)}"));
        }
        if (!hasWindow) return null;
        var function = ParseFunction(dataset.GetString(DicomTags.VOILUTFunction));
        try { return Window(centers[index], widths[index], function); }
        catch (ArgumentOutOfRangeException ex) { throw new DicomReadException($"(0028,1051) Window Width value {index + 1}: {ex.Message}", ex); }
    }

    private static double[] Numbers(DicomDataset ds, DicomTag tag, string name)
    {
        try { return ds.GetElement(tag)?.GetDoubles() ?? []; }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException)
        {
            throw new DicomReadException($"{name} is not a number list: {ex.Message}", ex);
        }
    }

    /// <summary>The transform of a modality value into <paramref name="yMin"/> … <paramref name="yMax"/>. A LUT's output
    /// (0 … 2^bits − 1) is scaled linearly into that range.</summary>
    public double Apply(double x, double yMin, double yMax)
        => Lut is { } lut ? yMin + lut.Lookup(x) * (yMax - yMin) / lut.MaxOutput : ApplyWindow(x, WindowCenter, WindowWidth, yMin, yMax, Function);

    /// <summary>The window functions of PS3.3 C.11.2.1.2.1 (LINEAR), C.11.2.1.3.2 (LINEAR_EXACT) and C.11.2.1.3.1 (SIGMOID).</summary>
    public static double ApplyWindow(double x, double center, double width, double yMin, double yMax, DicomVoiLutFunction function)
    {
        switch (function)
        {
            case DicomVoiLutFunction.Linear:
                if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), "Window width must be at least 1 for LINEAR.");
                if (x <= center - 0.5 - (width - 1) / 2) return yMin;
                if (x > center - 0.5 + (width - 1) / 2) return yMax;
                return ((x - (center - 0.5)) / (width - 1) + 0.5) * (yMax - yMin) + yMin;
            case DicomVoiLutFunction.LinearExact:
                if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), "Window width must be above 0 for LINEAR_EXACT.");
                if (x <= center - width / 2) return yMin;
                if (x > center + width / 2) return yMax;
                return ((x - center) / width + 0.5) * (yMax - yMin) + yMin;
            case DicomVoiLutFunction.Sigmoid:
                if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), "Window width must be above 0 for SIGMOID.");
                return (yMax - yMin) / (1 + Math.Exp(-4 * (x - center) / width)) + yMin;
            default:
                throw new ArgumentOutOfRangeException(nameof(function));
        }
    }
}
