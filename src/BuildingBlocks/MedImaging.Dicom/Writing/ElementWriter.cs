using System.Buffers.Binary;

namespace MedImaging.Dicom;

/// <summary>Encodes elements in little endian, explicit or implicit VR.</summary>
internal sealed class ElementWriter(Stream output, bool explicitVR)
{
    private const uint Undefined = 0xFFFFFFFF;
    private readonly byte[] _header = new byte[12];

    public void Write(DicomElement e) => Write(e, 0);

    private void Write(DicomElement e, int depth)
    {
        switch (e)
        {
            case DicomSequence sq:
                NestingGuard.Check(depth + 1);
                Header(e.Tag, DicomVR.SQ, Undefined);
                foreach (var item in sq.Items)
                {
                    ItemHeader(0xFFFEE000, Undefined);
                    foreach (var child in item) if (!child.Tag.IsGroupLength) Write(child, depth + 1);
                    ItemHeader(0xFFFEE00D, 0);
                }
                ItemHeader(0xFFFEE0DD, 0);
                return;
            case DicomFragmentSequence frags:
                Header(e.Tag, DicomVR.OB, Undefined);
                ItemHeader(0xFFFEE000, (uint)frags.OffsetTable.Length);
                output.Write(frags.OffsetTable.Span);
                foreach (var f in frags.Fragments)
                {
                    var len = f.Length + (f.Length & 1);
                    ItemHeader(0xFFFEE000, (uint)len);
                    WriteValue(f, len);
                }
                ItemHeader(0xFFFEE0DD, 0);
                return;
        }
        var length = e.Length + (e.Length & 1);
        if (length >= Undefined) throw new InvalidOperationException($"{e.Tag} is too long ({e.Length} bytes) for one element.");
        var vr = e.VR;
        // A short-length VR cannot carry more than 65534 bytes in explicit VR (it happens to values read from
        // implicit VR files); PS3.5 §6.2.2 allows UN there.
        if (explicitVR && !vr.HasLongLength && length > 0xFFFE) vr = DicomVR.UN;
        Header(e.Tag, vr, (uint)length);
        WriteValue(e, length);
    }

    private void WriteValue(DicomElement e, long paddedLength)
    {
        if (e.BulkData is { } bulk && e.Buffer.Length == 0 && bulk.Length > 0)
        {
            // Lazy values are copied through in chunks, never held whole.
            var chunk = new byte[(int)Math.Min(bulk.Length, 1 << 20)];
            for (long off = 0; off < bulk.Length; off += chunk.Length)
            {
                var n = (int)Math.Min(chunk.Length, bulk.Length - off);
                bulk.Read(off, chunk.AsSpan(0, n));
                output.Write(chunk, 0, n);
            }
        }
        else output.Write(e.Buffer.Span);
        if (paddedLength != e.Length) output.WriteByte(e.VR.PadByte);
    }

    private void Header(DicomTag tag, DicomVR vr, uint length)
    {
        var h = _header.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
        if (!explicitVR)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], length);
            output.Write(h[..8]);
            return;
        }
        h[4] = (byte)(vr.Code >> 8);
        h[5] = (byte)vr.Code;
        if (vr.HasLongLength)
        {
            h[6] = h[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], length);
            output.Write(h[..12]);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)length);
            output.Write(h[..8]);
        }
    }

    private void ItemHeader(uint tag, uint length)
    {
        var h = _header.AsSpan(0, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(h, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], (ushort)tag);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], length);
        output.Write(h);
    }
}
