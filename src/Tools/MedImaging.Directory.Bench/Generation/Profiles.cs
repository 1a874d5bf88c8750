namespace MedImaging.Directory.Bench.Generation;

/// <summary>
/// How often a hospital's PACS sees each modality, which body parts each examines, and how its studies fall into the
/// classification scheme: 类目 by modality and 亚目 by body part as the Metadata seed's DICOM map says
/// (dicom-classification-map.json), 细目 by the examination's kind. Weights are shares of studies.
/// </summary>
internal static class Profiles
{
    public sealed record Modality(string Code, string Category, double Weight, string Zh, string En, (string BodyPart, double Weight)[] BodyParts,
        (string Detail, double Weight)[] Details, string[][] Companions, (int Min, int Max) Series, (int Min, int Max) InstancesPerSeries, int KbPerInstance);

    private static readonly (string, double)[] Radiography =
    [
        ("CHEST", 45), ("KNEE", 8), ("LSPINE", 8), ("CSPINE", 6), ("HAND", 5), ("SHOULDER", 4), ("HIP", 4), ("ANKLE", 4), ("ABDOMEN", 5),
        ("PELVIS", 4), ("SKULL", 2), ("FOOT", 3), ("WRIST", 3),
    ];

    // CR/DX and CT most, then MR and US, then mammography, fluoroscopy, angiography, PET, NM, pathology and AI results.
    public static readonly Modality[] All =
    [
        new("DX", "1", 22, "X线", "Digital radiography", Radiography, [("1", 96), ("3", 4)], [[]], (1, 3), (1, 2), 9000),
        new("CR", "1", 8, "X线", "Computed radiography", Radiography, [("1", 96), ("3", 4)], [[]], (1, 2), (1, 2), 8000),
        new("CT", "2", 28, "CT", "CT",
            [("CHEST", 35), ("HEAD", 22), ("ABDOMEN", 14), ("ABDOMENPELVIS", 4), ("LSPINE", 4), ("CSPINE", 3), ("NECK", 3), ("HEART", 3),
             ("CORONARY", 3), ("PELVIS", 3), ("KNEE", 1), ("WHOLEBODY", 1), ("SINUS", 2), ("AORTA", 2)],
            [("1", 60), ("2", 28), ("3", 9), ("4", 3)], [[], [], [], ["SR"]], (3, 8), (40, 400), 520),
        new("MR", "3", 12, "磁共振", "MR",
            [("BRAIN", 34), ("LSPINE", 15), ("CSPINE", 10), ("KNEE", 12), ("SHOULDER", 5), ("ABDOMEN", 6), ("PELVIS", 5), ("PROSTATE", 3),
             ("BREAST", 3), ("HEART", 2), ("HIP", 3), ("LIVER", 2)],
            [("1", 55), ("2", 30), ("3", 7), ("4", 8)], [[]], (5, 12), (20, 200), 300),
        new("US", "5", 12, "超声", "US",
            [("ABDOMEN", 32), ("THYROID", 15), ("BREAST", 15), ("PELVIS", 12), ("HEART", 10), ("CAROTID", 8), ("KIDNEY", 5), ("KNEE", 3)],
            [("1", 55), ("2", 35), ("3", 10)], [[]], (1, 3), (5, 40), 800),
        new("MG", "1", 4, "乳腺X线", "Mammography", [("BREAST", 1)], [("1", 1)], [[], ["SR"]], (1, 2), (2, 4), 40000),
        new("RF", "1", 2, "透视", "Fluoroscopy", [("ABDOMEN", 60), ("CHEST", 20), ("PELVIS", 20)], [("2", 80), ("3", 20)], [[]], (1, 3), (5, 60), 1000),
        new("XA", "4", 2, "血管造影", "Angiography", [("HEART", 45), ("CORONARY", 15), ("HEAD", 20), ("ABDOMEN", 10), ("EXTREMITY", 10)],
            [("1", 65), ("2", 35)], [[]], (2, 10), (20, 120), 1000),
        // PET with CT is PET-CT (细目 2); one in eight is PET-MR (细目 3): SyntheticCatalog picks the 细目 by the companion.
        new("PT", "6", 1.5, "PET", "PET", [("WHOLEBODY", 80), ("HEAD", 15), ("HEART", 5)], [("2", 1)], [["CT"], ["CT"], ["CT"], ["CT"], ["CT"], ["CT"], ["CT"], ["MR"]], (3, 8), (100, 400), 200),
        new("NM", "6", 1.5, "核医学", "Nuclear medicine", [("WHOLEBODY", 50), ("HEART", 30), ("THYROID", 20)], [("1", 1)], [[], ["CT"]], (1, 4), (1, 120), 300),
        new("SM", "7", 0.8, "病理切片", "Slide microscopy", [("BREAST", 30), ("LUNG", 25), ("LIVER", 15), ("PROSTATE", 15), ("THYROID", 15)],
            [("1", 75), ("2", 15), ("3", 10)], [[]], (1, 3), (1, 6), 250000),
        new("SEG", "8", 0.7, "分割", "Segmentation", [("CHEST", 50), ("HEAD", 20), ("BREAST", 10), ("ABDOMEN", 10), ("KNEE", 10)],
            [("1", 60), ("2", 25), ("3", 15)], [["CT"], ["MR"]], (1, 2), (1, 3), 2000),
        new("SR", "8", 0.5, "结构化报告", "Structured report", [("CHEST", 60), ("HEAD", 20), ("BREAST", 20)], [("4", 1)], [["CT"], ["MG"]], (1, 1), (1, 1), 20),
    ];

    public static readonly (Modality Item, double Weight)[] Weighted = [.. All.Select(m => (m, m.Weight))];

    /// <summary>亚目 of a DICOM Body Part Examined term (the seed's DICOM map).</summary>
    public static readonly IReadOnlyDictionary<string, string> Region = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["HEAD"] = "1", ["BRAIN"] = "1", ["NECK"] = "1", ["SKULL"] = "1", ["SINUS"] = "1", ["CAROTID"] = "1", ["THYROID"] = "1",
        ["CHEST"] = "2", ["LUNG"] = "2",
        ["ABDOMEN"] = "3", ["LIVER"] = "3", ["KIDNEY"] = "3", ["ABDOMENPELVIS"] = "3",
        ["PELVIS"] = "4", ["PROSTATE"] = "4",
        ["LSPINE"] = "5", ["CSPINE"] = "5",
        ["KNEE"] = "6", ["HAND"] = "6", ["SHOULDER"] = "6", ["HIP"] = "6", ["ANKLE"] = "6", ["FOOT"] = "6", ["WRIST"] = "6", ["EXTREMITY"] = "6",
        ["HEART"] = "7", ["CORONARY"] = "7", ["AORTA"] = "7",
        ["BREAST"] = "8",
        ["WHOLEBODY"] = "9",
    };

    /// <summary>Body part names as Registration's cataloguing rules write them (zh) and as a report would (en).</summary>
    public static readonly IReadOnlyDictionary<string, (string Zh, string En)> BodyPartNames = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["HEAD"] = ("头部", "head"), ["BRAIN"] = ("颅脑", "brain"), ["NECK"] = ("颈部", "neck"), ["SKULL"] = ("头颅", "skull"),
        ["SINUS"] = ("鼻窦", "sinus"), ["CAROTID"] = ("颈动脉", "carotid"), ["THYROID"] = ("甲状腺", "thyroid"), ["CHEST"] = ("胸部", "chest"),
        ["LUNG"] = ("肺", "lung"), ["ABDOMEN"] = ("腹部", "abdomen"), ["LIVER"] = ("肝脏", "liver"), ["KIDNEY"] = ("肾脏", "kidney"),
        ["ABDOMENPELVIS"] = ("腹盆腔", "abdomen and pelvis"), ["PELVIS"] = ("盆腔", "pelvis"), ["PROSTATE"] = ("前列腺", "prostate"),
        ["LSPINE"] = ("腰椎", "lumbar spine"), ["CSPINE"] = ("颈椎", "cervical spine"), ["KNEE"] = ("膝关节", "knee"), ["HAND"] = ("手", "hand"),
        ["SHOULDER"] = ("肩关节", "shoulder"), ["HIP"] = ("髋关节", "hip"), ["ANKLE"] = ("踝关节", "ankle"), ["FOOT"] = ("足", "foot"),
        ["WRIST"] = ("腕关节", "wrist"), ["EXTREMITY"] = ("四肢", "extremity"), ["HEART"] = ("心脏", "heart"), ["CORONARY"] = ("冠状动脉", "coronary"),
        ["AORTA"] = ("主动脉", "aorta"), ["BREAST"] = ("乳腺", "breast"), ["WHOLEBODY"] = ("全身", "whole body"),
    };

    /// <summary>Studies per year (growth, the 2020 dip) and per month (Spring Festival in February, National Day in October).</summary>
    public static readonly (int Year, double Weight)[] Years = [(2019, 0.6), (2020, 0.55), (2021, 0.8), (2022, 0.85), (2023, 1.0), (2024, 1.15), (2025, 1.3), (2026, 1.2)];
    public static readonly (int Month, double Weight)[] Months = [.. new[] { 1.0, 0.7, 1.1, 1.05, 1.0, 1.05, 1.0, 0.95, 1.05, 0.85, 1.1, 1.05 }.Select((w, i) => (i + 1, w))];

    /// <summary>The last day a study may have: the day before "now" of this project's clock.</summary>
    public static readonly DateOnly LastDay = new(2026, 11, 28);

    /// <summary>Shares of security classifications (public, internal, restricted, confidential) by kind of entry.</summary>
    public static readonly IReadOnlyDictionary<string, (string, double)[]> Security = new Dictionary<string, (string, double)[]>(StringComparer.Ordinal)
    {
        ["ImagingStudy"] = [("public", 35), ("internal", 45), ("restricted", 15), ("confidential", 5)],
        ["Dataset"] = [("public", 50), ("internal", 30), ("restricted", 15), ("confidential", 5)],
        ["Database"] = [("public", 10), ("internal", 50), ("restricted", 30), ("confidential", 10)],
        ["Document"] = [("public", 70), ("internal", 25), ("restricted", 4), ("confidential", 1)],
    };

    public static readonly (string Kind, double Weight)[] Kinds = [("ImagingStudy", 94), ("Dataset", 3), ("Database", 1.5), ("Document", 1.5)];

    public static readonly string[] Manufacturers = ["GE Healthcare", "Siemens Healthineers", "Philips", "United Imaging", "Canon Medical", "Neusoft Medical", "Mindray"];
}
