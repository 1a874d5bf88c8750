using System.Text;

namespace MedImaging.Dicom;

/// <summary>The defined terms of (0008,0005) (PS3.3 C.12.1.1.2) and the ISO 2022 escape sequences of PS3.5 §6.1.2.5.</summary>
internal static class CharsetTerms
{
    // What a code element decodes with. Jis0208 is 7-bit two-byte; decoded through ISO-2022-JP.
    internal enum SetKind { SingleByte, Jis0208, DoubleByteHigh }

    internal sealed record CodeSet(string Name, int CodePage, SetKind Kind, bool IsG1, byte[] Escape)
    {
        private Encoding? _encoding;

        public Encoding Encoding => _encoding ??= CodePage == 20127 ? Encoding.Latin1 : Encoding.GetEncoding(CodePage);
    }

    static CharsetTerms() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    internal static void EnsureProviders() { }

    private static byte[] E(string s) => Encoding.ASCII.GetBytes(s);

    // ISO 2022 code elements, keyed by the escape sequence that follows ESC.
    internal static readonly CodeSet Ascii = new("ISO 2022 IR 6", 20127, SetKind.SingleByte, false, E("(B"));
    internal static readonly CodeSet Romaji = new("ISO 2022 IR 13", 932, SetKind.SingleByte, false, E("(J"));
    internal static readonly CodeSet Katakana = new("ISO 2022 IR 13", 932, SetKind.SingleByte, true, E(")I"));
    internal static readonly CodeSet[] Escapes =
    [
        Ascii, Romaji, Katakana,
        new("ISO 2022 IR 87", 50220, SetKind.Jis0208, false, E("$B")),
        new("ISO 2022 IR 159", 20932, SetKind.Jis0208, false, E("$(D")),
        new("ISO 2022 IR 149", 949, SetKind.DoubleByteHigh, true, E("$)C")),
        new("ISO 2022 IR 58", 936, SetKind.DoubleByteHigh, true, E("$)A")),
        new("ISO 2022 IR 100", 28591, SetKind.SingleByte, true, E("-A")),
        new("ISO 2022 IR 101", 28592, SetKind.SingleByte, true, E("-B")),
        new("ISO 2022 IR 109", 28593, SetKind.SingleByte, true, E("-C")),
        new("ISO 2022 IR 110", 28594, SetKind.SingleByte, true, E("-D")),
        new("ISO 2022 IR 144", 28595, SetKind.SingleByte, true, E("-L")),
        new("ISO 2022 IR 127", 28596, SetKind.SingleByte, true, E("-G")),
        new("ISO 2022 IR 126", 28597, SetKind.SingleByte, true, E("-F")),
        new("ISO 2022 IR 138", 28598, SetKind.SingleByte, true, E("-H")),
        new("ISO 2022 IR 148", 28599, SetKind.SingleByte, true, E("-M")),
        new("ISO 2022 IR 203", 28605, SetKind.SingleByte, true, E("-b")),
        new("ISO 2022 IR 166", 874, SetKind.SingleByte, true, E("-T")),
    ];

    // Terms without code extensions: one encoding for the whole value.
    internal static readonly Dictionary<string, int> Simple = new(StringComparer.Ordinal)
    {
        [""] = 20127, ["ISO_IR 6"] = 20127, ["ISO_IR 100"] = 28591, ["ISO_IR 101"] = 28592, ["ISO_IR 109"] = 28593,
        ["ISO_IR 110"] = 28594, ["ISO_IR 144"] = 28595, ["ISO_IR 127"] = 28596, ["ISO_IR 126"] = 28597, ["ISO_IR 138"] = 28598,
        ["ISO_IR 148"] = 28599, ["ISO_IR 203"] = 28605, ["ISO_IR 166"] = 874, ["ISO_IR 13"] = 932,
        ["ISO_IR 192"] = 65001, ["GB18030"] = 54936, ["GBK"] = 936,
    };

    /// <summary>The G0 and G1 code elements a 2022 term designates initially (value 1 of (0008,0005)).</summary>
    internal static (CodeSet G0, CodeSet? G1) Initial(string term)
    {
        if (term is "" or "ISO 2022 IR 6") return (Ascii, null);
        if (term == "ISO 2022 IR 13") return (Romaji, Katakana);
        var set = Escapes.FirstOrDefault(e => e.Name == term);
        if (set is null) return (Ascii, null);
        return set.IsG1 ? (Ascii, set) : (set, null);
    }
}
