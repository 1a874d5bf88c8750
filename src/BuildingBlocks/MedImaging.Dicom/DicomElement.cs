using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace MedImaging.Dicom;

/// <summary>A data element: tag, VR and value bytes (always little endian in memory). Text is decoded on first use
/// with the character set that was in force where the element was read.</summary>
public class DicomElement
{
    private ReadOnlyMemory<byte> _value;
    private string? _text;

    /// <summary>Creates an element from its little-endian value bytes.</summary>
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value, DicomCharacterSet? characterSet = null)
    {
        Tag = tag;
        VR = vr;
        _value = value;
        CharacterSet = characterSet ?? DicomCharacterSet.Default;
    }

    internal DicomElement(DicomTag tag, DicomVR vr, DicomBulkData bulk, DicomCharacterSet characterSet)
        : this(tag, vr, ReadOnlyMemory<byte>.Empty, characterSet) => BulkData = bulk;

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The VR.</summary>
    public DicomVR VR { get; }

    /// <summary>The character set text values are decoded with.</summary>
    public DicomCharacterSet CharacterSet { get; }

    /// <summary>Set when the value was left in the input (lazy mode); <see cref="Buffer"/> then reads it.</summary>
    public DicomBulkData? BulkData { get; }

    /// <summary>Set when the value is only referenced by a DICOM JSON BulkDataURI.</summary>
    public string? BulkDataUri { get; init; }

    /// <summary>Length of the value in bytes (lazy values included).</summary>
    public virtual long Length => BulkData?.Length ?? _value.Length;

    /// <summary>The value bytes, little endian. A lazy value is read from the input on first use.</summary>
    public ReadOnlyMemory<byte> Buffer
    {
        get
        {
            if (BulkData is not null && _value.Length == 0 && BulkData.Length > 0) _value = BulkData.ReadAll();
            return _value;
        }
    }

    /// <summary>The VR values are interpreted with: the dictionary VR for a UN element of a known standard tag
    /// (PS3.5 §6.2.2 lets a reader that knows the VR use it), else <see cref="VR"/>.</summary>
    public DicomVR ValueVR
    {
        get
        {
            if (VR != DicomVR.UN || Tag.IsPrivate) return VR;
            var known = DicomDictionary.Default.Lookup(Tag)?.VR ?? DicomVR.UN;
            return known == DicomVR.SQ || !known.IsKnown ? DicomVR.UN : known;
        }
    }

    /// <summary>The whole text value after character-set decoding, with the trailing padding removed.</summary>
    public string GetString()
    {
        if (_text is not null) return _text;
        var vr = ValueVR;
        if (!vr.IsString) return _text = string.Join('\\', GetStrings());
        var s = vr.UsesCharacterSet ? CharacterSet.Decode(Buffer.Span, vr) : DicomCharacterSet.DecodeAscii(Buffer.Span);
        return _text = s.TrimEnd(' ', '\0');
    }

    /// <summary>The values as strings: text split at backslashes (trimmed as PS3.5 allows), numbers formatted invariantly.</summary>
    public string[] GetStrings()
    {
        var vr = ValueVR;
        if (vr.IsString)
        {
            var s = GetString();
            if (s.Length == 0) return [];
            if (!vr.IsMultiValuedText) return [s];
            var parts = s.Split('\\');
            // Leading spaces are padding for all but the text VRs (PS3.5 Table 6.2-1).
            for (var i = 0; i < parts.Length; i++) parts[i] = vr == DicomVR.UC ? parts[i].TrimEnd(' ') : parts[i].Trim(' ', '\0');
            return parts;
        }
        if (vr == DicomVR.AT) return GetValues<uint>().Select(t => new DicomTag((uint)(t << 16 | t >> 16)).ToHex()).ToArray();
        if (vr.IsBinaryNumeric && vr.ValueSize > 1) return GetDoubleStrings();
        return [Convert.ToBase64String(Buffer.Span)];
    }

    /// <summary>The number of values (the VM as read).</summary>
    public int Count => VR.IsString ? GetStrings().Length : VR.Kind == DicomVR.VRKind.Number ? (int)(Length / VR.ValueSize) : Length > 0 ? 1 : 0;

    /// <summary>Binary values reinterpreted as <typeparamref name="T"/> (e.g. ushort for US/OW, float for FL/OF).</summary>
    public T[] GetValues<T>() where T : unmanaged => MemoryMarshal.Cast<byte, T>(Buffer.Span).ToArray();

    /// <summary>The numeric values as doubles, for IS, DS and every binary numeric vr.</summary>
    public double[] GetDoubles()
    {
        var vr = ValueVR;
        if (vr == DicomVR.IS || vr == DicomVR.DS)
            return GetStrings().Where(s => s.Length > 0).Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        var span = Buffer.Span;
        var size = vr.ValueSize;
        if (size < 2 || !vr.IsBinaryNumeric) throw new InvalidOperationException($"{Tag} {VR} is not numeric.");
        var result = new double[span.Length / size];
        for (var i = 0; i < result.Length; i++) result[i] = ReadNumber(vr, span.Slice(i * size, size));
        return result;
    }

    private static double ReadNumber(DicomVR vr, ReadOnlySpan<byte> b)
    {
        if (vr == DicomVR.US || vr == DicomVR.OW) return BinaryPrimitives.ReadUInt16LittleEndian(b);
        if (vr == DicomVR.SS) return BinaryPrimitives.ReadInt16LittleEndian(b);
        if (vr == DicomVR.UL || vr == DicomVR.OL || vr == DicomVR.AT) return BinaryPrimitives.ReadUInt32LittleEndian(b);
        if (vr == DicomVR.SL) return BinaryPrimitives.ReadInt32LittleEndian(b);
        if (vr == DicomVR.FL || vr == DicomVR.OF) return BinaryPrimitives.ReadSingleLittleEndian(b);
        if (vr == DicomVR.FD || vr == DicomVR.OD) return BinaryPrimitives.ReadDoubleLittleEndian(b);
        if (vr == DicomVR.SV) return BinaryPrimitives.ReadInt64LittleEndian(b);
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    private string[] GetDoubleStrings()
    {
        var vr = ValueVR;
        var span = Buffer.Span;
        var size = vr.ValueSize;
        var result = new string[span.Length / size];
        for (var i = 0; i < result.Length; i++)
        {
            var b = span.Slice(i * size, size);
            result[i] = vr == DicomVR.SV ? BinaryPrimitives.ReadInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture)
                : vr == DicomVR.UV || vr == DicomVR.OV ? BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture)
                : ReadNumber(vr, b).ToString("R", CultureInfo.InvariantCulture);
        }
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR} [{(VR.IsString ? GetString() : $"{Length} bytes")}]";
}
