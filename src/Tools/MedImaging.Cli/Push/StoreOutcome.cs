using System.Globalization;

namespace MedImaging.Cli.Push;

/// <summary>What became of one file of a batch.</summary>
public sealed record StoreOutcome(SourceFile File, string? SopInstanceUid, bool Succeeded, ushort? FailureReason, string? Detail, int? HttpStatus = null)
{
    public const int PayloadTooLarge = 413;

    /// <summary>The failure reason as PS3.4 Table GG.4-1 names it, Chinese first.</summary>
    public string ReasonText => FailureReason is { } code
        ? $"0x{code.ToString("X4", CultureInfo.InvariantCulture)} {Describe(code)}{(Detail is null ? "" : $": {Detail}")}"
        : Detail ?? "";

    public static string Describe(ushort code) => code switch
    {
        0x0110 => "处理失败 processing failure",
        0x0122 => "不支持的 SOP 类 SOP class not supported",
        0x0124 => "未授权 not authorized",
        0xA700 => "资源不足（超出大小限制） out of resources",
        0xA900 => "数据集与 SOP 类或检查不符 data set does not match SOP class",
        0xC000 => "无法解析 cannot understand",
        0xC122 => "不支持的传输语法 transfer syntax not supported",
        _ when code >> 8 == 0xA7 => "资源不足 refused: out of resources",
        _ when code >> 12 == 0xC => "无法处理 error: cannot understand",
        _ => "失败 failed",
    };
}
