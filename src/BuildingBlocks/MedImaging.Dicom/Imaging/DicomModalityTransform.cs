namespace MedImaging.Dicom;

/// <summary>
/// The Modality LUT stage of the greyscale pipeline (PS3.3 C.11.1): the single item of (0028,3000) Modality LUT Sequence,
/// or (0028,1053) Rescale Slope and (0028,1052) Rescale Intercept, or the identity when neither is present.
/// </summary>
public sealed class DicomModalityTransform
{
    private DicomModalityTransform(DicomLut? lut, double slope, double intercept, double storedMin, double storedMax)
    {
        Lut = lut;
        RescaleSlope = slope;
        RescaleIntercept = intercept;
        if (lut is not null) (OutputMin, OutputMax) = (0, lut.MaxOutput); // LUT output is unsigned (C.11.1.1.1)
        else
        {
            var (a, b) = (storedMin * slope + intercept, storedMax * slope + intercept);
            (OutputMin, OutputMax) = (Math.Min(a, b), Math.Max(a, b));
        }
    }

    /// <summary>The Modality LUT, when the dataset has a Modality LUT Sequence.</summary>
    public DicomLut? Lut { get; }

    /// <summary>Rescale Slope (1 when absent or when a LUT is used).</summary>
    public double RescaleSlope { get; }

    /// <summary>Rescale Intercept (0 when absent or when a LUT is used).</summary>
    public double RescaleIntercept { get; }

    /// <summary>Smallest value the transform can produce from the stored value range.</summary>
    public double OutputMin { get; }

    /// <summary>Largest value the transform can produce from the stored value range.</summary>
    public double OutputMax { get; }

    /// <summary>The transform of a stored value.</summary>
    public double Apply(int stored) => Lut is { } lut ? lut[stored] : stored * RescaleSlope + RescaleIntercept;

    /// <summary>
    /// The dataset's modality transform. A Modality LUT Sequence takes precedence over rescale values (PS3.3 allows only
    /// one of them; where a writer put both, the LUT is the more specific statement). The LUT Descriptor's first mapped
    /// value is signed when (0028,0103) Pixel Representation is 1 (C.11.1.1.1).
    /// </summary>
    public static DicomModalityTransform FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var signed = (dataset.GetInt32(DicomTags.PixelRepresentation) ?? 0) == 1;
        var bitsStored = Math.Clamp(dataset.GetInt32(DicomTags.BitsStored) ?? dataset.GetInt32(DicomTags.BitsAllocated) ?? 16, 1, 32);
        var (min, max) = signed ? (-Math.Pow(2, bitsStored - 1), Math.Pow(2, bitsStored - 1) - 1) : (0, Math.Pow(2, bitsStored) - 1);
        var items = dataset.GetSequence(DicomTags.ModalityLUTSequence);
        if (items.Count > 0)
        {
            var lut = DicomLut.FromItem(items[0], signed, "(0028,3000) Modality LUT Sequence item 1");
            return new DicomModalityTransform(lut, 1, 0, min, max);
        }
        return new DicomModalityTransform(null, dataset.GetDouble(DicomTags.RescaleSlope) ?? 1, dataset.GetDouble(DicomTags.RescaleIntercept) ?? 0, min, max);
    }
}
