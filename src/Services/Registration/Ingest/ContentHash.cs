using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MedImaging.Dicom;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// What "same content" means: the dataset's decoded values in a canonical form that no encoding choice changes — byte
/// order, explicit or implicit VR, defined or undefined lengths, trailing padding, character set, Part 10 or DICOM
/// JSON. Excluded: the file meta group, group lengths, (0008,0005) (values are hashed decoded), the pixel data group
/// (not kept) and what only the encoding made: digital signatures and data set trailing padding.
/// See docs/adr/0016-encoding-independent-identity.md.
/// </summary>
public static class ContentHash
{
    /// <summary>The canonical bytes of a dataset, written to <paramref name="output"/> in one walk.</summary>
    public static void Write(DicomDataset dataset, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(output);
        WriteDataset(dataset, output, 0);
    }

    /// <summary>The canonical bytes of a dataset (for tests and tools; ingest writes into a buffer it reuses).</summary>
    public static byte[] Canonical(DicomDataset dataset)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(dataset, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    // Per element: tag, then 'V' + length + value bytes, or 'S' + item count + items each closed by the item delimiter
    // tag. The VR is not written: an implicit-VR UN and its explicit LO are the same value.
    private static void WriteDataset(DicomDataset dataset, IBufferWriter<byte> output, int depth)
    {
        foreach (var e in dataset)
        {
            var tag = e.Tag;
            if (tag.IsGroupLength || tag.Group is 0x0002 or 0x7FE0 or 0xFFFA or 0xFFFC || tag == DicomTags.SpecificCharacterSet) continue;
            U32(output, tag.Value);
            if (e is DicomSequence sq) WriteItems(sq.Items, output, depth);
            else if (e.BulkDataUri is { } uri) Value(output, Encoding.UTF8.GetBytes("bulk:" + uri));
            else if (e is DicomFragmentSequence fragments)
            {
                Value(output, fragments.OffsetTable.Span);
                foreach (var fragment in fragments.Fragments) Value(output, fragment.Buffer.Span);
            }
            else if (e.ValueVR.IsString) Text(output, e);
            else if (e.ValueVR == DicomVR.UN && depth < 16 && AsSequence(e) is { } items) WriteItems(items, output, depth);
            else Value(output, e.Buffer.Span);
        }
    }

    private static void WriteItems(IReadOnlyList<DicomDataset> items, IBufferWriter<byte> output, int depth)
    {
        output.GetSpan(1)[0] = (byte)'S';
        output.Advance(1);
        U32(output, (uint)items.Count);
        foreach (var item in items)
        {
            WriteDataset(item, output, depth + 1);
            U32(output, 0xFFFEE00D);
        }
    }

    // Decoded text in UTF-8, padded to even length as a file would pad it: an ASCII or UTF-8 value then has the bytes an
    // implicit-VR reader keeps raw for an element whose VR it cannot know (a private one).
    private static void Text(IBufferWriter<byte> output, DicomElement e)
    {
        var vr = e.ValueVR;
        var text = vr == DicomVR.DS || vr == DicomVR.IS ? Numbers(e.GetStrings(), vr == DicomVR.IS)
            : vr == DicomVR.PN ? string.Join('\\', e.GetStrings().Select(PersonName))
            : vr.IsMultiValuedText ? string.Join('\\', e.GetStrings())
            : e.GetString();
        var length = Encoding.UTF8.GetByteCount(text);
        var padded = length + (length & 1);
        output.GetSpan(1)[0] = (byte)'V';
        output.Advance(1);
        U32(output, (uint)padded);
        var span = output.GetSpan(padded);
        Encoding.UTF8.GetBytes(text, span);
        if (padded > length) span[length] = vr.PadByte;
        output.Advance(padded);
    }

    // DICOM JSON carries DS and IS as numbers: "0.5000" in a file and 0.5 in JSON are one value.
    private static string Numbers(string[] values, bool integer)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (integer && long.TryParse(values[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                values[i] = l.ToString(CultureInfo.InvariantCulture);
            else if (double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                values[i] = d.ToString("R", CultureInfo.InvariantCulture);
        }
        return string.Join('\\', values);
    }

    // Trailing empty components and groups are not part of a name ("Doe^John^^^" is "Doe^John").
    private static string PersonName(string value)
    {
        var groups = value.Split('=');
        for (var g = 0; g < groups.Length; g++) groups[g] = groups[g].TrimEnd('^', ' ');
        return string.Join('=', groups).TrimEnd('=');
    }

    // An undefined-length UN is already read as a sequence; a defined-length one that starts with an item tag is a
    // sequence whose VR the reader could not know (a private sequence in implicit VR): read its items as PS3.5 §6.2.2
    // says they are encoded, implicit VR little endian.
    private static IReadOnlyList<DicomDataset>? AsSequence(DicomElement e)
    {
        var raw = e.Buffer;
        if (raw.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(raw.Span) != 0xE000FFFE) return null;
        var wrapped = new byte[raw.Length + 16];
        BinaryPrimitives.WriteUInt16LittleEndian(wrapped, e.Tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(wrapped.AsSpan(2), e.Tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(wrapped.AsSpan(4), 0xFFFFFFFF);
        raw.Span.CopyTo(wrapped.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(wrapped.AsSpan(8 + raw.Length), 0xE0DDFFFE);
        try
        {
            using var stream = new MemoryStream(wrapped);
            return DicomFile.ReadDataset(stream, DicomTransferSyntax.ImplicitVRLittleEndian, DicomReaderOptions.Default with { MaxDepth = 16 })
                .GetSequence(e.Tag) is { Count: > 0 } items ? items : null;
        }
        catch (Exception ex) when (ex is DicomReadException or EndOfStreamException or FormatException or InvalidDataException or ArgumentException
                                       or OverflowException or NotSupportedException)
        {
            return null; // not items after all: the raw bytes are the value
        }
    }

    private static void Value(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        output.GetSpan(1)[0] = (byte)'V';
        output.Advance(1);
        U32(output, (uint)value.Length);
        output.Write(value);
    }

    private static void U32(IBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }
}
