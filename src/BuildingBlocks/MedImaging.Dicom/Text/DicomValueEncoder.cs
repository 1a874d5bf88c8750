using System.Buffers.Binary;
using System.Globalization;

namespace MedImaging.Dicom;

/// <summary>Builds element values from text, as DICOM JSON and callers give them.</summary>
internal static class DicomValueEncoder
{
    public static DicomElement Encode(DicomTag tag, DicomVR vr, IReadOnlyList<string> values, DicomCharacterSet charset)
    {
        if (vr.IsString)
        {
            var text = string.Join('\\', values);
            var bytes = vr.UsesCharacterSet ? charset.Encode(text, vr) : System.Text.Encoding.ASCII.GetBytes(text);
            return new DicomElement(tag, vr, Pad(bytes, vr.PadByte), charset);
        }
        if (vr == DicomVR.AT)
        {
            var b = new byte[values.Count * 4];
            for (var i = 0; i < values.Count; i++)
            {
                var t = DicomTag.Parse(values[i]);
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 4), t.Group);
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 4 + 2), t.Element);
            }
            return new DicomElement(tag, vr, b);
        }
        if (vr.Kind == DicomVR.VRKind.Number || (vr.IsBinaryNumeric && values.Count != 1))
        {
            var size = vr.ValueSize;
            var b = new byte[values.Count * size];
            for (var i = 0; i < values.Count; i++) WriteNumber(b.AsSpan(i * size, size), vr, values[i]);
            return new DicomElement(tag, vr, b);
        }
        // OB, OW, OF… and UN from text: base64, as InlineBinary carries them.
        return new DicomElement(tag, vr, values.Count == 0 ? [] : Pad(Convert.FromBase64String(values[0]), 0));
    }

    public static void WriteNumber(Span<byte> b, DicomVR vr, string s)
    {
        var inv = CultureInfo.InvariantCulture;
        if (vr == DicomVR.US || vr == DicomVR.OW) BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)double.Parse(s, inv));
        else if (vr == DicomVR.SS) BinaryPrimitives.WriteInt16LittleEndian(b, (short)double.Parse(s, inv));
        else if (vr == DicomVR.UL || vr == DicomVR.OL) BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)double.Parse(s, inv));
        else if (vr == DicomVR.SL) BinaryPrimitives.WriteInt32LittleEndian(b, (int)double.Parse(s, inv));
        else if (vr == DicomVR.FL || vr == DicomVR.OF) BinaryPrimitives.WriteSingleLittleEndian(b, float.Parse(s, inv));
        else if (vr == DicomVR.FD || vr == DicomVR.OD) BinaryPrimitives.WriteDoubleLittleEndian(b, double.Parse(s, inv));
        else if (vr == DicomVR.SV) BinaryPrimitives.WriteInt64LittleEndian(b, long.Parse(s, inv));
        else BinaryPrimitives.WriteUInt64LittleEndian(b, ulong.Parse(s, inv));
    }

    public static byte[] Pad(byte[] bytes, byte pad)
    {
        if (bytes.Length % 2 == 0) return bytes;
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = pad;
        return padded;
    }
}
