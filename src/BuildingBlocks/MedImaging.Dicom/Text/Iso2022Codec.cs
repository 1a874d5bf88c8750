using System.Text;

namespace MedImaging.Dicom;

/// <summary>ISO 2022 decoding and encoding as PS3.5 §6.1.2.5 restricts it.</summary>
internal static class Iso2022Codec
{
    private const byte Esc = 0x1B;

    public static string Decode(ReadOnlySpan<byte> bytes, DicomVR vr, CharsetTerms.CodeSet initialG0, CharsetTerms.CodeSet? initialG1)
    {
        var sb = new StringBuilder(bytes.Length);
        var g0 = initialG0;
        var g1 = initialG1;
        int runStart = 0, runG1 = -1;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == Esc)
            {
                Flush(sb, bytes[runStart..i], runG1 == 1 ? g1 : g0);
                var set = MatchEscape(bytes[(i + 1)..]);
                if (set is null) { runStart = i + 1; runG1 = -1; continue; } // unknown escape: drop the ESC byte only
                if (set.IsG1) g1 = set; else g0 = set;
                i += set.Escape.Length;
                runStart = i + 1;
                runG1 = -1;
                continue;
            }
            var isG1 = b >= 0x80 && g1 is not null;
            // Delimiters only exist while G0 is a single-byte set: in JIS X 0208 the same bytes are halves of characters.
            if (!isG1 && g0.Kind == CharsetTerms.SetKind.SingleByte && IsDelimiter(b, vr))
            {
                Flush(sb, bytes[runStart..i], runG1 == 1 ? g1 : g0);
                sb.Append((char)b);
                // PS3.5 §6.1.2.5.3: the value-1 character set is in force again after every delimiter.
                g0 = initialG0;
                g1 = initialG1;
                runStart = i + 1;
                runG1 = -1;
                continue;
            }
            var which = isG1 ? 1 : 0;
            if (runG1 != which)
            {
                if (runG1 >= 0) Flush(sb, bytes[runStart..i], runG1 == 1 ? g1 : g0);
                runStart = i;
                runG1 = which;
            }
        }
        Flush(sb, bytes[runStart..], runG1 == 1 ? g1 : g0);
        return sb.ToString();
    }

    private static bool IsDelimiter(byte b, DicomVR vr) => b switch
    {
        0x09 or 0x0A or 0x0C or 0x0D => true,
        (byte)'\\' => vr.IsMultiValuedText,
        (byte)'^' or (byte)'=' => vr == DicomVR.PN,
        _ => false,
    };

    private static CharsetTerms.CodeSet? MatchEscape(ReadOnlySpan<byte> rest)
    {
        foreach (var set in CharsetTerms.Escapes)
            if (rest.StartsWith(set.Escape)) return set;
        return null;
    }

    private static void Flush(StringBuilder sb, ReadOnlySpan<byte> run, CharsetTerms.CodeSet? set)
    {
        if (run.IsEmpty) return;
        set ??= CharsetTerms.Ascii;
        if (set.Kind == CharsetTerms.SetKind.Jis0208 && set.CodePage == 50220)
        {
            // ISO-2022-JP decodes the 7-bit JIS X 0208 bytes once they are framed by their escape sequences.
            var framed = new byte[run.Length + 6];
            "\u001b$B"u8.CopyTo(framed);
            run.CopyTo(framed.AsSpan(3));
            "\u001b(B"u8.CopyTo(framed.AsSpan(run.Length + 3));
            sb.Append(set.Encoding.GetString(framed));
        }
        else if (set.Kind == CharsetTerms.SetKind.Jis0208)
        {
            // JIS X 0212 (IR 159): .NET's EUC-JP (20932) maps 0x8F-prefixed codes onto JIS X 0208, i.e. the wrong
            // characters. A replacement character per code is honest; a wrong kanji in a patient name is not.
            sb.Append('\uFFFD', run.Length / 2);
        }
        else sb.Append(set.Encoding.GetString(run));
    }

    /// <summary>Greedy encoder: each character goes to the first term (in (0008,0005) order) that can encode it.</summary>
    public static byte[] Encode(string text, DicomVR vr, IReadOnlyList<string> terms)
    {
        var sets = terms.Select(t => t is "" or "ISO 2022 IR 6" ? CharsetTerms.Ascii : CharsetTerms.Escapes.FirstOrDefault(e => e.Name == t))
            .Where(s => s is not null).Cast<CharsetTerms.CodeSet>().ToList();
        var (initialG0, initialG1) = CharsetTerms.Initial(terms.Count > 0 ? terms[0] : "");
        var g0 = initialG0;
        var g1 = initialG1;
        var output = new List<byte>(text.Length * 2);
        foreach (var rune in text.EnumerateRunes())
        {
            var s = rune.ToString();
            if (rune.Value < 0x80)
            {
                if (g0 != CharsetTerms.Ascii && g0 != CharsetTerms.Romaji) { output.Add(Esc); output.AddRange(CharsetTerms.Ascii.Escape); g0 = CharsetTerms.Ascii; }
                output.Add((byte)rune.Value);
                if (IsDelimiter((byte)rune.Value, vr)) { g0 = initialG0; g1 = initialG1; }
                continue;
            }
            var target = sets.FirstOrDefault(set => set != CharsetTerms.Ascii && CanEncode(set, s))
                ?? throw new ArgumentException($"'{s}' cannot be encoded in {string.Join('\\', terms)}.", nameof(text));
            var bytes = EncodeChar(target, s);
            if (target.IsG1 && g1 != target) { output.Add(Esc); output.AddRange(target.Escape); g1 = target; }
            if (!target.IsG1 && g0 != target) { output.Add(Esc); output.AddRange(target.Escape); g0 = target; }
            output.AddRange(bytes);
        }
        if (g0 != initialG0) { output.Add(Esc); output.AddRange(initialG0.Escape); }
        return [.. output];
    }

    private static bool CanEncode(CharsetTerms.CodeSet set, string s)
    {
        try { return EncodeChar(set, s).Length > 0; }
        catch (EncoderFallbackException) { return false; }
    }

    private static byte[] EncodeChar(CharsetTerms.CodeSet set, string s)
    {
        if (set.CodePage == 20932) throw new EncoderFallbackException(); // JIS X 0212: no faithful .NET codec (see Flush)
        var enc = Encoding.GetEncoding(set.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);
        var bytes = enc.GetBytes(s);
        if (set.Kind == CharsetTerms.SetKind.Jis0208 && set.CodePage == 50220)
            return bytes.Length >= 8 ? bytes[3..^3] : throw new EncoderFallbackException();
        if (set.IsG1 && bytes.Any(b => b < 0x80)) throw new EncoderFallbackException();
        return bytes;
    }
}
