using System.Globalization;
using System.Text;

namespace MedImaging.Directory.Search;

/// <summary>
/// The one normalisation that indexed text and query text both go through, so that variants of a word meet: NFKC
/// (full-width Ｃｔ and ＣＴ become CT, ideographic spaces spaces), case folded, traditional characters to simplified.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded) sb.Append(TraditionalChinese.ToSimplified(c));
        return sb.ToString();
    }

    /// <summary>True for a CJK unified ideograph (the characters bigrams are made of).</summary>
    public static bool IsHan(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter && c is >= '\u3400' and <= '\u9fff';
}

/// <summary>
/// Traditional → simplified for the characters of the imaging vocabulary (a one-to-one table: cheap, and enough for
/// 腦/脑, 肺結節/肺结节, 醫院/医院; a full conversion needs word context, which this does not attempt).
/// </summary>
public static class TraditionalChinese
{
    private static readonly Dictionary<char, char> Map = Build(
        "醫医 院院 腦脑 結结 節节 頸颈 臟脏 腫肿 瘤瘤 癥症 動动 脈脉 靜静 檢检 查查 線线 掃扫 描描 層层 變变 體体 質质 區区 斷断 像像 影影 圖图 圖图 " +
        "鏡镜 診诊 療疗 術术 顱颅 骨骨 關关 膽胆 腎肾 腸肠 脾脾 臨临 床床 疾疾 病病 傷伤 癌癌 轉转 移移 灶灶 囊囊 積积 液液 氣气 鈣钙 化化 " +
        "門门 靜静 強强 增增 對对 比比 劑剂 數数 據据 庫库 資资 料料 報报 告告 藥药 實实 驗验 學学 專专 業业 單单 號号 碼码 類类 標标 準准 " +
        "縱纵 隔隔 膜膜 乳乳 腺腺 甲甲 狀状 頭头 部部 胸胸 腹腹 盆盆 脊脊 椎椎 肢肢 關关 節节 磁磁 共共 振振 電电 腦脑 斷断 層层 超超 聲声 核核 醫医");

    public static char ToSimplified(char c) => Map.TryGetValue(c, out var s) ? s : c;

    private static Dictionary<char, char> Build(string pairs)
    {
        var map = new Dictionary<char, char>();
        foreach (var pair in pairs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (pair.Length == 2 && pair[0] != pair[1]) map[pair[0]] = pair[1];
        return map;
    }
}
