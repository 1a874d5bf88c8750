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
        "縱纵 隔隔 膜膜 乳乳 腺腺 甲甲 狀状 頭头 部部 胸胸 腹腹 盆盆 脊脊 椎椎 肢肢 關关 節节 磁磁 共共 振振 電电 腦脑 斷断 層层 超超 聲声 核核 醫医 " +
        // The traditional forms of the characters of Concepts/concepts.json, as OpenCC (s2t, s2tw, s2hk) writes its terms.
        "叢丛 兩两 習习 會会 側侧 兒儿 內内 岡冈 凍冻 減减 創创 佔占 壓压 雙双 發发 疊叠 臺台 葉叶 後后 聽听 " +
        "噴喷 團团 圍围 圓圆 壞坏 塊块 復复 夾夹 宮宫 導导 爾尔 巖岩 帶带 幀帧 幹干 異异 張张 彌弥 彎弯 彈弹 " +
        "徵征 態态 總总 惡恶 擴扩 損损 攝摄 無无 顯显 暫暂 機机 雜杂 權权 條条 構构 樞枢 樣样 橈桡 橋桥 橫横 " +
        "氬氩 溝沟 測测 潤润 滲渗 遊游 溼湿 濕湿 濾滤 竈灶 狹狭 環环 現现 畫画 皰疱 癇痫 癡痴 瘻瘘 癲癫 蓋盖 " +
        "盤盘 礦矿 礙碍 離离 窩窝 窺窥 竇窦 篩筛 纖纤 純纯 紋纹 練练 組组 細细 織织 經经 絡络 統统 繼继 維维 " +
        "綿绵 縮缩 網网 羣群 恥耻 聯联 脹胀 脛胫 膠胶 髒脏 膿脓 腳脚 脫脱 莖茎 熒荧 蝸蜗 見见 規规 視视 計计 " +
        "認认 訓训 訪访 評评 試试 調调 譜谱 賴赖 蹠跖 蹤踪 軀躯 軟软 輔辅 輻辐 輸输 過过 運运 遠远 連连 適适 " +
        "釓钆 針针 鋇钡 鉬钼 鎖锁 錯错 錐锥 鍵键 長长 間间 閱阅 閲阅 闌阑 陰阴 隨随 韌韧 頂顶 顧顾 頜颌 頻频 " +
        "顏颜 額额 顳颞 顴颧 風风 馬马 髖髋 髕髌 鱗鳞 齒齿 齡龄 侷局 嚥咽 睪睾 繫系 複复 註注 迴回 鬆松");

    public static char ToSimplified(char c) => Map.TryGetValue(c, out var s) ? s : c;

    private static Dictionary<char, char> Build(string pairs)
    {
        var map = new Dictionary<char, char>();
        foreach (var pair in pairs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (pair.Length == 2 && pair[0] != pair[1]) map[pair[0]] = pair[1];
        return map;
    }
}
