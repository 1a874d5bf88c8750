using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace MedImaging.Dicom;

/// <summary>Options for <see cref="DicomJsonWriter"/>.</summary>
public sealed record DicomJsonWriterOptions
{
    /// <summary>Returns a BulkDataURI for a binary element (OB, OW, OF, UN, encapsulated pixel data…) or null to inline it.</summary>
    public Func<DicomElement, string?>? BulkDataUri { get; init; }

    /// <summary>Indent the output.</summary>
    public bool Indented { get; init; }
}

/// <summary>Writes the DICOM JSON model (PS3.18 Annex F) with <see cref="Utf8JsonWriter"/>.</summary>
public static class DicomJsonWriter
{
    /// <summary>Serializes a dataset to a JSON string.</summary>
    public static string Serialize(DicomDataset dataset, DicomJsonWriterOptions? options = null)
    {
        using var ms = new MemoryStream();
        Write(ms, dataset, options);
        return System.Text.Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }

    /// <summary>Writes a dataset as one JSON object to a stream.</summary>
    public static void Write(Stream stream, DicomDataset dataset, DicomJsonWriterOptions? options = null)
    {
        options ??= new DicomJsonWriterOptions();
        // Each sequence level is three JSON levels (element object, Value array, item object): room for the depth limit.
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = options.Indented, SkipValidation = true, MaxDepth = NestingGuard.JsonDepth });
        Write(w, dataset, options);
    }

    /// <summary>Writes a dataset as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        WriteDataset(writer, dataset, options ?? new DicomJsonWriterOptions(), 0);
    }

    private static void WriteDataset(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonWriterOptions options, int depth)
    {
        writer.WriteStartObject();
        foreach (var e in dataset)
        {
            if (e.Tag.IsGroupLength) continue; // PS3.18 F.2.2: group lengths are not included
            writer.WritePropertyName(e.Tag.ToHex());
            WriteElement(writer, e, options, depth);
        }
        writer.WriteEndObject();
    }

    private static void WriteElement(Utf8JsonWriter w, DicomElement e, DicomJsonWriterOptions options, int depth)
    {
        w.WriteStartObject();
        w.WriteString("vr"u8, e is DicomFragmentSequence ? "OB" : e.VR.ToString());
        if (e is DicomSequence sq)
        {
            if (sq.Items.Count > 0)
            {
                NestingGuard.Check(depth + 1);
                w.WriteStartArray("Value"u8);
                foreach (var item in sq.Items) WriteDataset(w, item, options, depth + 1);
                w.WriteEndArray();
            }
        }
        else if (e.BulkDataUri is { } uri) w.WriteString("BulkDataURI"u8, uri);
        else if (e is DicomFragmentSequence || e.VR.Kind is DicomVR.VRKind.Bytes or DicomVR.VRKind.Words)
        {
            if (options.BulkDataUri?.Invoke(e) is { } made) w.WriteString("BulkDataURI"u8, made);
            else if (e.Length > 0 || e is DicomFragmentSequence) w.WriteBase64String("InlineBinary"u8, EncapsulatedOrRaw(e));
        }
        else if (e.Tag == DicomTags.SpecificCharacterSet)
        {
            // JSON text is Unicode: the values were transcoded, so the repertoire is now UTF-8 (as dcm2json writes).
            w.WriteStartArray("Value"u8);
            w.WriteStringValue("ISO_IR 192"u8);
            w.WriteEndArray();
        }
        else if (e.Length > 0 && !(e.VR == DicomVR.PN && e.GetStrings().All(IsEmptyName))) WriteValues(w, e);
        w.WriteEndObject();
    }

    private static bool IsEmptyName(string v) => v.Trim('^', '=', ' ').Length == 0;

    private static void WriteValues(Utf8JsonWriter w, DicomElement e)
    {
        var vr = e.VR;
        w.WriteStartArray("Value"u8);
        if (vr == DicomVR.PN)
        {
            foreach (var v in e.GetStrings())
            {
                var pn = new DicomPersonName(v);
                if (IsEmptyName(v)) { w.WriteNullValue(); continue; }
                w.WriteStartObject();
                if (pn.Alphabetic.Length > 0) w.WriteString("Alphabetic"u8, pn.Alphabetic);
                if (pn.Ideographic.Length > 0) w.WriteString("Ideographic"u8, pn.Ideographic);
                if (pn.Phonetic.Length > 0) w.WriteString("Phonetic"u8, pn.Phonetic);
                w.WriteEndObject();
            }
        }
        else if (vr == DicomVR.IS || vr == DicomVR.DS)
        {
            foreach (var v in e.GetStrings())
            {
                if (v.Length == 0) w.WriteNullValue();
                else if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                {
                    if (vr == DicomVR.IS && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) w.WriteNumberValue(l);
                    else w.WriteNumberValue(d);
                }
                else w.WriteStringValue(v); // not a number: kept as text rather than lost
            }
        }
        else if (vr.IsString || vr == DicomVR.AT)
        {
            foreach (var v in e.GetStrings())
                if (v.Length == 0) w.WriteNullValue(); else w.WriteStringValue(v);
        }
        else WriteBinaryNumbers(w, e);
        w.WriteEndArray();
    }

    private static void WriteBinaryNumbers(Utf8JsonWriter w, DicomElement e)
    {
        var span = e.Buffer.Span;
        var size = e.VR.ValueSize;
        for (var i = 0; i + size <= span.Length; i += size)
        {
            var b = span.Slice(i, size);
            if (e.VR == DicomVR.US) w.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(b));
            else if (e.VR == DicomVR.SS) w.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(b));
            else if (e.VR == DicomVR.UL) w.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(b));
            else if (e.VR == DicomVR.SL) w.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(b));
            else if (e.VR == DicomVR.SV) w.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(b));
            else if (e.VR == DicomVR.UV) w.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(b));
            else
            {
                var d = e.VR == DicomVR.FL ? BinaryPrimitives.ReadSingleLittleEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b);
                if (double.IsFinite(d)) w.WriteNumberValue(d);
                else w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); // JSON has no NaN/Infinity
            }
        }
    }

    /// <summary>Binary value bytes; encapsulated pixel data as its items (offset table, fragments), as in the file.</summary>
    internal static byte[] EncapsulatedOrRaw(DicomElement e)
    {
        if (e is not DicomFragmentSequence frags) return e.Buffer.ToArray();
        using var ms = new MemoryStream();
        Span<byte> h = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0xE000FFFE);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)frags.OffsetTable.Length);
        ms.Write(h);
        ms.Write(frags.OffsetTable.Span);
        foreach (var f in frags.Fragments)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)f.Length);
            ms.Write(h);
            ms.Write(f.Buffer.Span);
        }
        return ms.ToArray();
    }
}
