using System.Globalization;

namespace MedImaging.Registration.Domain;

/// <summary>
/// Automatic cataloguing (§4.3.1, §4.8.2 b): the values a study's DICOM metadata determines, each with the rule that
/// produced it. Classification, point of contact, security and charge rules are in
/// <see cref="Cataloguing.AutoCataloguer"/>; these rules name, describe, count and link the entry.
/// </summary>
public static class CatalogingRules
{
    public const string TitleRule = "title = modality(zh) + body part(zh) + study description; v1";

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

    /// <summary>The values the study's aggregates determine.</summary>
    public static IEnumerable<AssignedValue> Derive(Study study)
    {
        var modalities = study.Modalities.Select(ModalityName).Distinct().ToList();
        var bodyParts = study.BodyParts.Select(BodyPartName).OfType<string>().Distinct().ToList();
        var title = string.Join(' ', new[] { string.Join('/', modalities), string.Join('/', bodyParts), study.StudyDescription?.Trim() ?? "" }
            .Where(s => s.Length > 0));
        yield return Auto(MetadataElements.ResourceTitle, title.Length > 0 ? title : "医学影像检查", TitleRule);

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
        if (study.StudyDescription is { Length: > 0 } description) yield return Auto(MetadataElements.StudyDescription, description.Trim(), "(0008,1030)");
        yield return Auto(MetadataElements.NumberOfSeries, study.SeriesCount.ToString(CultureInfo.InvariantCulture), "count of series received");
        yield return Auto(MetadataElements.NumberOfInstances, study.InstanceCount.ToString(CultureInfo.InvariantCulture), "count of instances received");
        yield return Auto(MetadataElements.TotalSize, study.TotalSizeBytes.ToString(CultureInfo.InvariantCulture), "sum of received instance sizes");
    }

    public static AssignedValue Auto(string element, string value, string rule) => new(element, value, ValueSource.Auto, rule);
}
