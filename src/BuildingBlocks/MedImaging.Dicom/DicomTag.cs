using System.Globalization;

namespace MedImaging.Dicom;

/// <summary>A DICOM attribute tag (group, element) packed as <c>0xGGGGEEEE</c>.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    /// <summary>Creates a tag from its group and element numbers.</summary>
    public DicomTag(ushort group, ushort element) : this(((uint)group << 16) | element) { }

    /// <summary>The group number.</summary>
    public ushort Group => (ushort)(Value >> 16);

    /// <summary>The element number.</summary>
    public ushort Element => (ushort)Value;

    /// <summary>True for odd groups (private data elements, PS3.5 §7.8).</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 8;

    /// <summary>True for a private creator element (gggg,0010-00FF).</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x10 and <= 0xFF;

    /// <summary>For a private data element (gggg,xxyy), the tag of the creator that reserves its block (gggg,00xx).</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    /// <summary>True for a group length element (gggg,0000).</summary>
    public bool IsGroupLength => Element == 0;

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Orders tags numerically.</summary>
    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;

    /// <summary>Orders tags numerically.</summary>
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;

    /// <summary>Orders tags numerically.</summary>
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;

    /// <summary>Orders tags numerically.</summary>
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;

    /// <summary>The dictionary keyword, or an empty string for private and unknown tags.</summary>
    public string Keyword => DicomDictionary.Default.Lookup(this)?.Keyword ?? "";

    /// <summary>Formats as <c>(GGGG,EEEE)</c>.</summary>
    public override string ToString() => $"({Group:X4},{Element:X4})";

    /// <summary>Formats as the 8 hex digits the DICOM JSON and XML models use.</summary>
    public string ToHex() => Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>GGGGEEEE</c>, <c>(GGGG,EEEE)</c>, <c>GGGG,EEEE</c> or a dictionary keyword.</summary>
    public static DicomTag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim().Trim('(', ')').Replace(",", "", StringComparison.Ordinal);
        if (s.Length == 8 && uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v)) return new DicomTag(v);
        return DicomDictionary.Default.LookupKeyword(text.Trim())?.Tag
            ?? throw new FormatException($"'{text}' is neither a tag nor a dictionary keyword.");
    }
}
