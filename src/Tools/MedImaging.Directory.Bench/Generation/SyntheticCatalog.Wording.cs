using System.Globalization;
using MedImaging.Contracts.Registration;

namespace MedImaging.Directory.Bench.Generation;

/// <summary>
/// The words of a synthetic entry: descriptions as a modality console writes them (Chinese or DICOM-style English),
/// titles as Registration's cataloguing rules or a cataloguer would, abstracts and keywords from the vocabulary
/// (concept labels and their synonyms, so that 肺部 and "lung nodule" both occur), and the hand-catalogued kinds.
/// </summary>
public sealed partial class SyntheticCatalog
{
    // English words that tell which modality concept of the dictionary names a DICOM modality.
    private static readonly (string Code, string[] Words)[] ModalityWords =
    [
        ("CT", ["computed tomography"]), ("MR", ["magnetic resonance"]), ("DX", ["radiograph"]), ("CR", ["radiograph"]), ("US", ["ultraso"]),
        ("MG", ["mammogra"]), ("PT", ["positron"]), ("NM", ["nuclear", "scintigra", "spect"]), ("XA", ["angiogra"]), ("RF", ["fluoroscop"]),
    ];

    private Dictionary<string, Concept>? _modalityConcepts;

    private Concept? ModalityConcept(string code)
    {
        _modalityConcepts ??= ModalityWords
            .Select(w => (w.Code, Concept: _words.ModalityConcepts.FirstOrDefault(c =>
                w.Words.Any(k => string.Join(' ', [c.LabelEn, .. c.SynonymsEn]).Contains(k, StringComparison.OrdinalIgnoreCase)))))
            .Where(x => x.Concept is not null).ToDictionary(x => x.Code, x => x.Concept!, StringComparer.Ordinal);
        return _modalityConcepts.GetValueOrDefault(code);
    }

    /// <summary>A concept's label, or (three times in ten) one of its synonyms.</summary>
    private static string Zh(ref Rng rng, Concept c) => c.SynonymsZh.Count > 0 && rng.Chance(0.3) ? rng.Pick(c.SynonymsZh) : c.LabelZh;

    private static string En(ref Rng rng, Concept c) => c.SynonymsEn.Count > 0 && rng.Chance(0.3) ? rng.Pick(c.SynonymsEn) : c.LabelEn;

    /// <summary>None (a normal study, one in four), one or two findings of the region, the common ones most often.</summary>
    private List<Concept> Findings(ref Rng rng, string region)
    {
        var pool = Vocabulary.For(_words.Findings, region);
        if (pool.Count == 0 || rng.Chance(0.25)) return [];
        var first = pool[rng.Zipf(pool.Count)];
        if (pool.Count == 1 || rng.Chance(0.6)) return [first];
        var second = pool[rng.Zipf(pool.Count)];
        return second.Id == first.Id ? [first] : [first, second];
    }

    private static string Examined(Profiles.Modality m, string partZh, ClassificationScheme.Node exam) =>
        partZh + (exam.NameZh.Contains(m.Zh, StringComparison.Ordinal) ? "" : m.Zh) + exam.NameZh;

    /// <summary>Study Description (0008,1030): Chinese as most consoles here write it, or DICOM-style English.</summary>
    private static string Description(ref Rng rng, Profiles.Modality m, string partZh, string partEn, ClassificationScheme.Node exam, List<Concept> findings)
    {
        if (rng.Chance(0.4)) return $"{partEn.ToUpperInvariant()} {m.Code} {exam.NameEn.ToUpperInvariant()}";
        var text = Examined(m, partZh, exam);
        return findings.Count > 0 && rng.Chance(0.3) ? $"{text} {Zh(ref rng, findings[0])}{(rng.Chance(0.5) ? "复查" : "")}" : text;
    }

    private static string StudyTitle(ref Rng rng, Profiles.Modality m, string partZh, string partEn, ClassificationScheme.Node exam, string description,
        List<Concept> findings, DateOnly date, Institution institution)
    {
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var roll = rng.NextDouble();
        // Most titles are Registration's automatic ones: modality, body part, description, date, 负责方.
        if (roll < 0.7) return $"{m.Zh} {partZh} {description} {day} {institution.NameZh}";
        if (roll < 0.85)
            return $"{Examined(m, partZh, exam)}：{(findings.Count > 0 ? string.Join("、", findings.Select(f => f.LabelZh)) : "未见明显异常")}（{date.Year}）";
        var what = findings.Count > 0 ? string.Join(" and ", findings.Select(f => f.LabelEn)) : "no acute abnormality";
        return $"{char.ToUpperInvariant(partEn[0])}{partEn[1..]} {m.En} {exam.NameEn.ToLowerInvariant()}: {what} ({day}, {institution.NameEn})";
    }

    private List<string> Keywords(ref Rng rng, Profiles.Modality m, string partZh, List<Concept> findings)
    {
        var keywords = new List<string> { m.Code, m.Zh, partZh };
        foreach (var f in findings)
        {
            keywords.Add(Zh(ref rng, f));
            if (rng.Chance(0.3)) keywords.Add(En(ref rng, f));
        }
        if (_words.Procedures.Count > 0 && rng.Chance(0.2)) keywords.Add(Zh(ref rng, _words.Procedures[rng.Zipf(_words.Procedures.Count)]));
        return [.. keywords.Distinct(StringComparer.Ordinal)];
    }

    private string StudyAbstract(ref Rng rng, Profiles.Modality m, string partZh, string region, ClassificationScheme.Node exam, List<Concept> findings,
        DateOnly date, Institution institution, int series, int instances)
    {
        var anatomy = Vocabulary.For(_words.Anatomy, region);
        var modality = ModalityConcept(m.Code) is { } mc ? Zh(ref rng, mc) : m.Zh;
        var seenZh = new List<string>(findings.Count);
        var seenEn = new List<string>(findings.Count);
        foreach (var f in findings)
        {
            // "肺部见肺结节": the anatomy word (label or synonym) in front of the first finding, as reports write it.
            seenZh.Add(seenZh.Count == 0 && anatomy.Count > 0 && rng.Chance(0.6) ? $"{Zh(ref rng, rng.Pick(anatomy))}见{Zh(ref rng, f)}" : Zh(ref rng, f));
            seenEn.Add(En(ref rng, f));
        }
        var text = $"{date.Year}年{date.Month}月{date.Day}日于{institution.NameZh}行{partZh}{modality}（{exam.NameZh}），共{series}个序列、{instances}幅图像。"
            + $"影像所见：{(seenZh.Count == 0 ? "未见明显异常" : string.Join("，", seenZh))}。";
        if (rng.Chance(0.4)) text += $" Findings: {(seenEn.Count == 0 ? "no significant abnormality" : string.Join("; ", seenEn))}.";
        if (_words.Procedures.Count > 0 && findings.Count > 0 && rng.Chance(0.25)) text += $"建议{Zh(ref rng, rng.Pick(_words.Procedures))}。";
        return text;
    }

    /// <summary>A database, document or dataset catalogued by hand: the basic elements only, no study, its own formats and wording.</summary>
    private ResourcePublished HandCatalogued(ref Rng rng, long index, string kind, OriginNode node, Institution institution)
    {
        var m = rng.Pick(Profiles.Weighted);
        var bodyPart = rng.Pick(m.BodyParts);
        var region = Profiles.Region[bodyPart];
        var (partZh, partEn) = Profiles.BodyPartNames[bodyPart];
        // Datasets are mostly annotations for AI (类目 8); the others are classified by the modality they hold or describe.
        var category = kind == "Dataset" && rng.Chance(0.6) ? "8" : m.Category;
        var sub = _scheme.Find($"{category}.{region}") ?? _scheme.Find($"{category}.{_scheme.Find(category)!.Children[0].Split('.')[1]}")!;
        var detailCode = rng.Pick(sub.Children);
        var detail = _scheme.Find(detailCode)!;
        var year = rng.Pick(Profiles.Years);
        var published = PublishedAt(ref rng, new DateOnly(year, rng.Between(1, year == 2026 ? 10 : 12), rng.Between(1, 28)));
        var finding = Vocabulary.For(_words.Findings, region) is { Count: > 0 } pool ? pool[rng.Zipf(pool.Count)] : null;
        var findingZh = finding is null ? "" : Zh(ref rng, finding);
        var findingEn = finding is null ? "imaging" : En(ref rng, finding);
        var count = rng.Between(2, 300) * 100;
        string title, text, format;
        List<string> keywords;
        switch (kind)
        {
            case "Dataset":
                (format, var annotation) = rng.Pick<(string, string)>([("NIfTI;CSV", "分割"), ("DICOM;JSON", "检测框"), ("PNG;CSV", "分类"), ("DICOM SEG", "分割")]);
                title = rng.Chance(0.6) ? $"{partZh}{m.Zh}{findingZh}{annotation}标注数据集（{year}）" : $"{partEn} {m.En} {findingEn} annotated dataset ({year})";
                text = $"{institution.NameZh}整理的{count}例{partZh}{m.Zh}影像，含{findingZh}{annotation}标注，经脱敏处理，用于人工智能模型训练与验证。"
                    + $" {count} de-identified {partEn} {m.En} studies with {findingEn} {(annotation == "分割" ? "segmentation" : "labels")} for AI training.";
                keywords = ["数据集", "dataset", "人工智能", annotation + "标注", partZh, m.Code];
                break;
            case "Database":
                format = rng.Pick<string>(["DICOM;PostgreSQL", "DICOM", "DICOM;MySQL"]);
                title = rng.Chance(0.7) ? $"{institution.NameZh}{m.Zh}影像数据库" : $"{m.En} imaging database of {institution.NameEn}";
                text = $"收录{year - rng.Between(2, 8)}年至{year}年{institution.NameZh}{m.Zh}检查约{count / 100}万例，按检查号与假名化患者标识组织，支持按{partZh}等部位检索。";
                keywords = ["数据库", "database", "PACS", m.Code, m.Zh];
                break;
            default:
                format = rng.Pick<string>(["PDF", "DOCX", "PDF;HTML"]);
                title = rng.Pick<string>([$"{partZh}{m.Zh}检查技术规范（{year}版）", $"{findingZh}影像诊断专家共识（{year}）", $"Structured reporting template for {partEn} {m.En} ({findingEn})"]);
                text = $"{institution.NameZh}发布的{partZh}{m.Zh}{detail.NameZh}规范性文件，涵盖检查适应证、扫描参数与{findingZh}的报告要点。";
                keywords = ["文档", "规范", "document", partZh, findingZh];
                break;
        }
        keywords = [.. keywords.Where(k => k.Length > 0).Distinct(StringComparer.Ordinal)];
        var security = rng.Pick(Profiles.Security[kind]);
        var identifier = Identifier(node, detailCode, index);
        var link = $"https://data.{node.NodeId}.example.cn/{kind.ToLowerInvariant()}s/{index + 1}";
        var values = BasicValues(identifier, title, detail, detailCode, keywords, text, institution, format, security, link, chargeSign: kind == "Database" && rng.Chance(0.3));
        return new ResourcePublished
        {
            OriginNode = node.NodeId, ResourceId = ResourceId(ref rng, published), RecordVersion = 1, Actor = "cataloguer-" + institution.Code[^4..],
            OccurredAt = published, Title = title, ResourceIdentifier = identifier, Kind = kind, SecurityClassification = security, Keywords = keywords,
            Abstract = text, Format = format, OnlineResourceLink = link, Modalities = kind == "Document" ? [] : [m.Code],
            BodyParts = kind == "Database" ? [] : [bodyPart], InstanceCount = kind == "Dataset" ? count * 50 : 0,
            TotalSizeBytes = kind == "Document" ? rng.Between(200, 20_000) * 1024L : (long)count * rng.Between(20, 400) * 1024 * 1024,
            Values = values, Institution = institution.Code, InstitutionName = institution.NameZh, ClassificationCode = detailCode,
        };
    }
}
