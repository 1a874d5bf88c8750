using System.Collections.Concurrent;
using System.Text;

namespace MedImaging.Dicom;

/// <summary>
/// The character repertoire of a dataset, from (0008,0005) Specific Character Set: single-byte ISO 8859 sets,
/// UTF-8 (ISO_IR 192), GB18030, GBK, and ISO 2022 code extensions (IR 6, 13, 87, 149, 58, 100…) with escape
/// sequences that reset at value, component and group delimiters (PS3.5 §6.1.2.5.3).
/// </summary>
public sealed class DicomCharacterSet
{
    private static readonly ConcurrentDictionary<string, DicomCharacterSet> s_cache = new(StringComparer.Ordinal);
    private readonly Encoding? _simple;
    private readonly CharsetTerms.CodeSet _g0;
    private readonly CharsetTerms.CodeSet? _g1;

    private DicomCharacterSet(string[] terms)
    {
        CharsetTerms.EnsureProviders();
        Terms = terms;
        var first = terms.Length > 0 ? terms[0] : "";
        IsIso2022 = terms.Length > 1 || first.StartsWith("ISO 2022", StringComparison.Ordinal);
        if (IsIso2022) (_g0, _g1) = CharsetTerms.Initial(first);
        else
        {
            _g0 = CharsetTerms.Ascii;
            // Unknown terms fall back to Latin-1, as dcmtk and pydicom do, rather than failing the whole file.
            var cp = CharsetTerms.Simple.GetValueOrDefault(first, 28591);
            _simple = cp == 20127 ? Encoding.Latin1 : Encoding.GetEncoding(cp);
            IsKnown = CharsetTerms.Simple.ContainsKey(first);
            return;
        }
        IsKnown = terms.All(t => t.Length == 0 || CharsetTerms.Escapes.Any(e => e.Name == t) || t == "ISO 2022 IR 6");
    }

    /// <summary>The default repertoire (no (0008,0005)). Bytes above 0x7F are read as Latin-1, as dcmtk and pydicom do.</summary>
    public static DicomCharacterSet Default { get; } = new([]);

    /// <summary>UTF-8, ISO_IR 192.</summary>
    public static DicomCharacterSet Utf8 { get; } = new(["ISO_IR 192"]);

    /// <summary>The defined terms of (0008,0005), in order.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>True when the terms use ISO 2022 code extensions (escape sequences).</summary>
    public bool IsIso2022 { get; }

    /// <summary>False when a term is not one PS3.3 C.12.1.1.2 defines (it is then read as Latin-1).</summary>
    public bool IsKnown { get; }

    /// <summary>The character set for the raw value of (0008,0005) (backslash-separated terms).</summary>
    public static DicomCharacterSet FromElementValue(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return s_cache.GetOrAdd(raw, static r => new DicomCharacterSet(r.Split('\\').Select(t => t.Trim()).ToArray()));
    }

    /// <summary>The character set for a list of terms.</summary>
    public static DicomCharacterSet FromTerms(IEnumerable<string> terms) => FromElementValue(string.Join('\\', terms));

    /// <summary>Decodes a text value of a VR (delimiters depend on the VR: PN resets at ^ and =).</summary>
    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        if (_simple is not null) return _simple.GetString(bytes);
        return Iso2022Codec.Decode(bytes, vr, _g0, _g1);
    }

    /// <summary>Encodes text for a VR; ISO 2022 sets switch code elements with escape sequences where needed.</summary>
    public byte[] Encode(string text, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_simple is not null) return _simple.GetBytes(text);
        return Iso2022Codec.Encode(text, vr, Terms);
    }

    internal static string DecodeAscii(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <inheritdoc />
    public override string ToString() => Terms.Count == 0 ? "(default repertoire)" : string.Join('\\', Terms);
}
