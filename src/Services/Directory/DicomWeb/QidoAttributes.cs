using System.Globalization;

namespace MedImaging.Directory.DicomWeb;

/// <summary>The QIDO-RS levels this directory answers (PS3.18 10.6: a catalogue entry is a study; its series summary the series).</summary>
public enum QidoLevel
{
    Study,
    Series,
}

/// <summary>How an attribute takes part in a search (PS3.4 C.6.2.1 keys).</summary>
public enum QidoKeyRole
{
    /// <summary>Matched in SQL (study level) or on the series summary (series level).</summary>
    Matching,

    /// <summary>
    /// A key the catalogue holds no value for (no study time, accession number, birth date … is published): answered
    /// zero-length, and a non-universal value matches nothing (PS3.4 C.2.2.2: an empty attribute never matches a value).
    /// </summary>
    Empty,

    /// <summary>Returned only (a count, a URL): a value given for it is refused with 400, naming it.</summary>
    ReturnOnly,
}

/// <summary>One attribute of the QIDO-RS answer: tag, keyword, VR, level, whether it is answered by default.</summary>
public sealed record QidoElement(uint Tag, string Keyword, string Vr, QidoLevel Level, QidoKeyRole Role, bool Default)
{
    /// <summary>The tag as DICOM JSON keys it: eight upper-case hex digits.</summary>
    public string TagKey => Tag.ToString("X8", CultureInfo.InvariantCulture);
}

/// <summary>
/// The attributes answered at each level: PS3.18 Table 10.6.3-3 (study) and 10.6.3-5 (series) as far as the catalogue
/// has them, plus the study's description and institution name. A key or <c>includefield</c> naming anything else is
/// refused with 400 naming it, so that a client never believes a filter was applied when it was not.
/// </summary>
public static class QidoAttributes
{
    public const uint SpecificCharacterSet = 0x00080005;
    public const uint StudyDate = 0x00080020;
    public const uint StudyTime = 0x00080030;
    public const uint AccessionNumber = 0x00080050;
    public const uint InstanceAvailability = 0x00080056;
    public const uint ModalitiesInStudy = 0x00080061;
    public const uint Modality = 0x00080060;
    public const uint InstitutionName = 0x00080080;
    public const uint ReferringPhysicianName = 0x00080090;
    public const uint StudyDescription = 0x00081030;
    public const uint SeriesDescription = 0x0008103E;
    public const uint RetrieveUrl = 0x00081190;
    public const uint PatientName = 0x00100010;
    public const uint PatientId = 0x00100020;
    public const uint PatientBirthDate = 0x00100030;
    public const uint PatientSex = 0x00100040;
    public const uint BodyPartExamined = 0x00180015;
    public const uint StudyInstanceUid = 0x0020000D;
    public const uint SeriesInstanceUid = 0x0020000E;
    public const uint StudyId = 0x00200010;
    public const uint SeriesNumber = 0x00200011;
    public const uint NumberOfStudyRelatedSeries = 0x00201206;
    public const uint NumberOfStudyRelatedInstances = 0x00201208;
    public const uint NumberOfSeriesRelatedInstances = 0x00201209;

    public static readonly IReadOnlyList<QidoElement> Study =
    [
        new(StudyDate, "StudyDate", "DA", QidoLevel.Study, QidoKeyRole.Matching, true),
        new(StudyTime, "StudyTime", "TM", QidoLevel.Study, QidoKeyRole.Empty, true),
        new(AccessionNumber, "AccessionNumber", "SH", QidoLevel.Study, QidoKeyRole.Empty, true),
        new(InstanceAvailability, "InstanceAvailability", "CS", QidoLevel.Study, QidoKeyRole.ReturnOnly, true),
        new(ModalitiesInStudy, "ModalitiesInStudy", "CS", QidoLevel.Study, QidoKeyRole.Matching, true),
        new(InstitutionName, "InstitutionName", "LO", QidoLevel.Study, QidoKeyRole.Matching, false),
        new(ReferringPhysicianName, "ReferringPhysicianName", "PN", QidoLevel.Study, QidoKeyRole.Empty, true),
        new(StudyDescription, "StudyDescription", "LO", QidoLevel.Study, QidoKeyRole.Matching, true),
        new(RetrieveUrl, "RetrieveURL", "UR", QidoLevel.Study, QidoKeyRole.ReturnOnly, true),
        new(PatientName, "PatientName", "PN", QidoLevel.Study, QidoKeyRole.Matching, true),
        new(PatientId, "PatientID", "LO", QidoLevel.Study, QidoKeyRole.Matching, true),
        new(PatientBirthDate, "PatientBirthDate", "DA", QidoLevel.Study, QidoKeyRole.Empty, true),
        new(PatientSex, "PatientSex", "CS", QidoLevel.Study, QidoKeyRole.Empty, true),
        new(StudyInstanceUid, "StudyInstanceUID", "UI", QidoLevel.Study, QidoKeyRole.Matching, true),
        new(StudyId, "StudyID", "SH", QidoLevel.Study, QidoKeyRole.Empty, true),
        new(NumberOfStudyRelatedSeries, "NumberOfStudyRelatedSeries", "IS", QidoLevel.Study, QidoKeyRole.ReturnOnly, true),
        new(NumberOfStudyRelatedInstances, "NumberOfStudyRelatedInstances", "IS", QidoLevel.Study, QidoKeyRole.ReturnOnly, true),
    ];

    public static readonly IReadOnlyList<QidoElement> Series =
    [
        new(Modality, "Modality", "CS", QidoLevel.Series, QidoKeyRole.Matching, true),
        new(SeriesDescription, "SeriesDescription", "LO", QidoLevel.Series, QidoKeyRole.Matching, true),
        new(RetrieveUrl, "RetrieveURL", "UR", QidoLevel.Series, QidoKeyRole.ReturnOnly, true),
        new(BodyPartExamined, "BodyPartExamined", "CS", QidoLevel.Series, QidoKeyRole.Matching, true),
        new(SeriesInstanceUid, "SeriesInstanceUID", "UI", QidoLevel.Series, QidoKeyRole.Matching, true),
        new(SeriesNumber, "SeriesNumber", "IS", QidoLevel.Series, QidoKeyRole.Matching, true),
        new(NumberOfSeriesRelatedInstances, "NumberOfSeriesRelatedInstances", "IS", QidoLevel.Series, QidoKeyRole.ReturnOnly, true),
    ];

    public static IReadOnlyList<QidoElement> Of(QidoLevel level) => level == QidoLevel.Study ? Study : Series;

    /// <summary>An attribute of the level by keyword (case as in the dictionary) or by tag (eight hex digits).</summary>
    public static QidoElement? Find(QidoLevel level, string key)
    {
        var list = Of(level);
        if (key.Length == 8 && uint.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tag))
            return list.FirstOrDefault(a => a.Tag == tag);
        return list.FirstOrDefault(a => string.Equals(a.Keyword, key, StringComparison.Ordinal));
    }
}
