using System.Globalization;

namespace MedImaging.Registration.Domain;

/// <summary>
/// Automatic cataloguing (§4.3.1, §4.8.2 b): the values a study's DICOM metadata determines, each with the rule that
/// produced it. Classification, point of contact, security and charge rules are in
/// <see cref="Cataloguing.AutoCataloguer"/>; these rules name, describe, count and link the entry.
/// </summary>
public static class CatalogingRules
{
    public const string TitleRule = "title = modality(zh) + body part(zh) + study description (DICOM separators as spaces) + study date (else day received, UTC+8) + 负责方; v2";

    /// <summary>resourceTitle holds at most this many characters (basic metadata set, §4.7.2.2).</summary>
    public const int MaxTitle = 200;

    private static readonly Dictionary<string, string> ModalityZh = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CT"] = "CT", ["MR"] = "磁共振", ["CR"] = "X线", ["DX"] = "X线", ["DR"] = "X线", ["MG"] = "乳腺X线",
        ["US"] = "超声", ["XA"] = "血管造影", ["RF"] = "透视", ["PT"] = "PET", ["NM"] = "核医学",
        ["OT"] = "其他影像", ["SC"] = "二次采集影像", ["SR"] = "结构化报告", ["ES"] = "内镜", ["OP"] = "眼底照相",
        ["RTPLAN"] = "放疗计划", ["RTSTRUCT"] = "放疗结构", ["RTDOSE"] = "放疗剂量", ["RTIMAGE"] = "放疗影像",
        ["ECG"] = "心电", ["SEG"] = "分割", ["KO"] = "关键影像",
    };

    private static readonly Dictionary<string, string> BodyPartZh = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HEAD"] = "头部", ["BRAIN"] = "颅脑", ["SKULL"] = "头颅", ["NECK"] = "颈部", ["CHEST"] = "胸部", ["LUNG"] = "肺",
        ["HEART"] = "心脏", ["BREAST"] = "乳腺", ["ABDOMEN"] = "腹部", ["LIVER"] = "肝脏", ["KIDNEY"] = "肾脏",
        ["PELVIS"] = "盆腔", ["SPINE"] = "脊柱", ["CSPINE"] = "颈椎", ["TSPINE"] = "胸椎", ["LSPINE"] = "腰椎",
        ["SHOULDER"] = "肩关节", ["ELBOW"] = "肘关节", ["HAND"] = "手", ["HIP"] = "髋关节", ["KNEE"] = "膝关节",
        ["ANKLE"] = "踝关节", ["FOOT"] = "足", ["EXTREMITY"] = "四肢", ["WHOLEBODY"] = "全身", ["CHESTABDOMEN"] = "胸腹部",
        ["ABDOMENPELVIS"] = "腹盆腔",
    };

    public static string ModalityName(string modality) => ModalityZh.GetValueOrDefault(modality, modality);

    public static string? BodyPartName(string? bodyPart)
        => string.IsNullOrWhiteSpace(bodyPart) ? null : BodyPartZh.GetValueOrDefault(bodyPart.Trim(), bodyPart.Trim());

    /// <summary>The values the study's aggregates determine; <paramref name="institution"/> is the 负责方's name for the title.</summary>
    public static IEnumerable<AssignedValue> Derive(Study study, string? institution = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        var modalities = study.Modalities.Select(ModalityName).Distinct().ToList();
        var bodyParts = study.BodyParts.Select(BodyPartName).OfType<string>().Distinct().ToList();
        yield return Auto(MetadataElements.ResourceTitle, Title(study, modalities, bodyParts, institution), TitleRule);

        var keywords = modalities.Concat(study.Modalities).Concat(bodyParts).Distinct().ToList();
        if (keywords.Count > 0) yield return Auto(MetadataElements.Keyword, string.Join(';', keywords), "keywords = modality codes and names + body parts(zh); v1");

        var date = study.StudyDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var summary = $"{string.Join('/', modalities)}检查，{study.SeriesCount} 个序列，{study.InstanceCount} 个实例" + (date is null ? "" : $"，检查日期 {date}");
        yield return Auto(MetadataElements.Abstract, summary, "abstract = modalities + counts + study date; v1");
        yield return Auto(MetadataElements.DataFormat, "DICOM", "format = DICOM for instances received over STOW-RS or DICOM JSON");
        if (study.OnlineResourceLink is { } link)
            yield return Auto(MetadataElements.OnlineResourceLink, link, "link = RetrieveURL (0008,1190) else adapter PACS base URL + /studies/{uid}");
        if (study.Modalities.Count > 0) yield return Auto(MetadataElements.Modality, string.Join(';', study.Modalities), "(0008,0060) of the series");
        if (study.BodyParts.Count > 0) yield return Auto(MetadataElements.BodyPartExamined, string.Join(';', study.BodyParts), "(0018,0015) of the series");
        if (date is not null) yield return Auto(MetadataElements.StudyDate, date, "(0008,0020)");
        yield return Auto(MetadataElements.StudyInstanceUid, study.StudyInstanceUid, "(0020,000D)");
        if (Readable(study.StudyDescription) is { } description) yield return Auto(MetadataElements.StudyDescription, description, "(0008,1030), separators as spaces");
        yield return Auto(MetadataElements.NumberOfSeries, study.SeriesCount.ToString(CultureInfo.InvariantCulture), "count of series received");
        yield return Auto(MetadataElements.NumberOfInstances, study.InstanceCount.ToString(CultureInfo.InvariantCulture), "count of instances received");
        yield return Auto(MetadataElements.TotalSize, study.TotalSizeBytes.ToString(CultureInfo.InvariantCulture), "sum of received instance sizes");
    }

    /// <summary>
    /// What tells one study from another in a list of entries: what was examined (modality, body part, the description as
    /// a reader would write it), when, and where. Never anything of the patient: the description reaches here cleaned of
    /// the patient's names (the PHI split), and the 负责方 is the hospital.
    /// </summary>
    public static string Title(Study study, IReadOnlyList<string> modalities, IReadOnlyList<string> bodyParts, string? institution)
    {
        ArgumentNullException.ThrowIfNull(study);
        // The cleaner's marker says where a name was taken out; in a list of entries it is noise, so the title drops it.
        var description = Readable(study.StudyDescription?.Replace(Privacy.DescriptorCleaner.Marker, " ", StringComparison.Ordinal));
        // A description that only repeats the modality and body part adds nothing.
        if (description is not null && modalities.Concat(study.Modalities).Concat(bodyParts).Concat(study.BodyParts)
                .Aggregate(description, (rest, word) => rest.Replace(word, "", StringComparison.OrdinalIgnoreCase)).Trim().Length == 0)
            description = null;
        var what = string.Join(' ', new[] { string.Join('/', modalities), string.Join('/', bodyParts), description ?? "" }.Where(s => s.Length > 0));
        // Without a study date, the day it reached the node still tells two otherwise alike entries apart.
        var when = study.StudyDate is { } date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : $"接收于 {study.FirstReceivedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var title = string.Join(' ', new[] { what.Length > 0 ? what : "医学影像检查", when, Readable(institution) }.OfType<string>());
        return title.Length <= MaxTitle ? title : title[..MaxTitle];
    }

    /// <summary>DICOM text as a person writes it: component (^) and value (\\) separators as spaces, runs of spaces as one.</summary>
    public static string? Readable(string? dicomText)
    {
        if (string.IsNullOrWhiteSpace(dicomText)) return null;
        var words = dicomText.Replace('^', ' ').Replace('\\', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? null : string.Join(' ', words);
    }

    public static AssignedValue Auto(string element, string value, string rule) => new(element, value, ValueSource.Auto, rule);
}
