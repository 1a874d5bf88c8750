namespace MedImaging.Dicom;

/// <summary>A value representation (PS3.5 §6.2), stored as its two ASCII characters.</summary>
public readonly record struct DicomVR(ushort Code)
{
    private static DicomVR Of(string s) => new((ushort)((s[0] << 8) | s[1]));
#pragma warning disable CS1591 // the 34 VRs are named by the standard itself
    public static readonly DicomVR AE = Of("AE"), AS = Of("AS"), AT = Of("AT"), CS = Of("CS"), DA = Of("DA"), DS = Of("DS"),
        DT = Of("DT"), FD = Of("FD"), FL = Of("FL"), IS = Of("IS"), LO = Of("LO"), LT = Of("LT"), OB = Of("OB"), OD = Of("OD"),
        OF = Of("OF"), OL = Of("OL"), OV = Of("OV"), OW = Of("OW"), PN = Of("PN"), SH = Of("SH"), SL = Of("SL"), SQ = Of("SQ"),
        SS = Of("SS"), ST = Of("ST"), SV = Of("SV"), TM = Of("TM"), UC = Of("UC"), UI = Of("UI"), UL = Of("UL"), UN = Of("UN"),
        UR = Of("UR"), US = Of("US"), UT = Of("UT"), UV = Of("UV");
#pragma warning restore CS1591

    /// <summary>No VR (item and delimitation tags).</summary>
    public static DicomVR None => default;

    /// <summary>Parses a two-letter VR; false for anything the standard does not define.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out DicomVR vr)
    {
        vr = s.Length == 2 ? new DicomVR((ushort)((s[0] << 8) | s[1])) : default;
        return vr.IsKnown;
    }

    /// <summary>Parses a two-letter VR or throws.</summary>
    public static DicomVR Parse(string s) => TryParse(s, out var vr) ? vr : throw new FormatException($"'{s}' is not a DICOM VR.");

    /// <summary>True for the 34 VRs of PS3.5 Table 6.2-1.</summary>
    public bool IsKnown => Code != 0 && Info(this).Known;

    /// <summary>True when explicit VR encodes the length in 4 bytes after 2 reserved bytes (PS3.5 Table 7.1-1).</summary>
    public bool HasLongLength => Info(this).Long;

    /// <summary>True for textual VRs (values are character strings).</summary>
    public bool IsString => Info(this).Kind == VRKind.Text;

    /// <summary>True where Specific Character Set applies (SH, LO, ST, LT, UC, UT, PN; PS3.5 §6.1.2.3).</summary>
    public bool UsesCharacterSet => this == SH || this == LO || this == ST || this == LT || this == UC || this == UT || this == PN;

    /// <summary>True where a backslash separates multiple values.</summary>
    public bool IsMultiValuedText => IsString && this != ST && this != LT && this != UT && this != UR;

    /// <summary>Size of one binary value (2 for US/OW, 4 for UL/FL/OF, 8 for FD/SV…), 0 for text, 1 for bytes.</summary>
    public int ValueSize => Info(this).Size;

    /// <summary>True for numeric binary VRs whose bytes are swapped in big endian.</summary>
    public bool IsBinaryNumeric => Info(this).Kind is VRKind.Number or VRKind.Words;

    /// <summary>Byte used to pad odd-length values: NUL for UI and binary, space for text (PS3.5 §6.2).</summary>
    public byte PadByte => IsString && this != UI ? (byte)' ' : (byte)0;

    /// <summary>The two-letter name.</summary>
    public override string ToString() => Code == 0 ? "--" : new string([(char)(Code >> 8), (char)(Code & 0xFF)]);

    internal enum VRKind { Text, Number, Words, Bytes, Sequence }

    internal readonly record struct VRInfo(bool Known, bool Long, VRKind Kind, int Size);

    internal VRKind Kind => Info(this).Kind;

    internal static VRInfo Info(DicomVR vr)
    {
        switch (vr.Code >> 8)
        {
            case 'A': return vr.Code switch { 0x4145 or 0x4153 => T, 0x4154 => new(true, false, VRKind.Number, 4), _ => Unknown };
            case 'C': return vr == CS ? T : Unknown;
            case 'D': return vr == DA || vr == DS || vr == DT ? T : Unknown;
            case 'F': return vr == FD ? new(true, false, VRKind.Number, 8) : vr == FL ? new(true, false, VRKind.Number, 4) : Unknown;
            case 'I': return vr == IS ? T : Unknown;
            case 'L': return vr == LO || vr == LT ? T : Unknown;
            case 'O':
                if (vr == OB) return new(true, true, VRKind.Bytes, 1);
                if (vr == OW) return new(true, true, VRKind.Words, 2);
                if (vr == OF || vr == OL) return new(true, true, VRKind.Words, 4);
                if (vr == OD || vr == OV) return new(true, true, VRKind.Words, 8);
                return Unknown;
            case 'P': return vr == PN ? T : Unknown;
            case 'S':
                if (vr == SH || vr == ST) return T;
                if (vr == SL) return new(true, false, VRKind.Number, 4);
                if (vr == SS) return new(true, false, VRKind.Number, 2);
                if (vr == SV) return new(true, true, VRKind.Number, 8);
                if (vr == SQ) return new(true, true, VRKind.Sequence, 0);
                return Unknown;
            case 'T': return vr == TM ? T : Unknown;
            case 'U':
                if (vr == UC || vr == UR || vr == UT) return new(true, true, VRKind.Text, 0);
                if (vr == UI) return T;
                if (vr == UL) return new(true, false, VRKind.Number, 4);
                if (vr == US) return new(true, false, VRKind.Number, 2);
                if (vr == UV) return new(true, true, VRKind.Number, 8);
                if (vr == UN) return new(true, true, VRKind.Bytes, 1);
                return Unknown;
            default: return Unknown;
        }
    }

    private static readonly VRInfo T = new(true, false, VRKind.Text, 0);
    private static readonly VRInfo Unknown = new(false, true, VRKind.Bytes, 1);
}
