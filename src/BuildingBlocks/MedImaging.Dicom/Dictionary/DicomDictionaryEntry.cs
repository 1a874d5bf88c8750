namespace MedImaging.Dicom;

/// <summary>One PS3.6 data dictionary row.</summary>
/// <param name="Tag">The tag (for repeating groups, the first group of the range, e.g. 6000 for 60xx).</param>
/// <param name="VR">The VR (the first one where PS3.6 allows several, e.g. US for "US or SS").</param>
/// <param name="AlternateVRs">Every VR PS3.6 allows, e.g. US and SS; one entry for most attributes.</param>
/// <param name="VM">The value multiplicity as PS3.6 writes it ("1", "1-n", "2-2n").</param>
/// <param name="Keyword">The PS3.6 keyword, e.g. PatientName.</param>
/// <param name="Name">The PS3.6 attribute name.</param>
/// <param name="IsRetired">True for retired attributes.</param>
/// <param name="Mask">The PS3.6 tag as written with x for repeating groups ("60xx3000"), else 8 hex digits.</param>
public sealed record DicomDictionaryEntry(
    DicomTag Tag, DicomVR VR, IReadOnlyList<DicomVR> AlternateVRs, string VM, string Keyword, string Name, bool IsRetired, string Mask)
{
    /// <summary>True when this entry covers a range of tags (repeating group or element).</summary>
    public bool IsRepeating => Mask.Contains('x', StringComparison.Ordinal);
}
