using System.Globalization;
using System.Text.Json;

namespace MedImaging.Dicom;

/// <summary>Reads the DICOM JSON model (PS3.18 Annex F): values, PN objects, InlineBinary and BulkDataURI.</summary>
public static class DicomJsonReader
{
    /// <summary>Parses one dataset object (or the first object of an array, as QIDO-RS/WADO-RS metadata return).</summary>
    public static DicomDataset Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Read(doc.RootElement);
    }

    /// <summary>Parses every dataset of a JSON array (or the one object).</summary>
    public static IReadOnlyList<DicomDataset> ParseAll(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Array
            ? doc.RootElement.EnumerateArray().Select(e => ReadObject(e)).ToList() : [ReadObject(doc.RootElement)];
    }

    /// <summary>Reads a dataset from a parsed JSON element. Text is held as UTF-8 (ISO_IR 192), which JSON is.</summary>
    public static DicomDataset Read(JsonElement root)
        => root.ValueKind == JsonValueKind.Array ? ReadObject(root.EnumerateArray().First()) : ReadObject(root);

    private static DicomDataset ReadObject(JsonElement obj)
    {
        var ds = new DicomDataset(DicomCharacterSet.Utf8);
        foreach (var prop in obj.EnumerateObject())
        {
            var tag = DicomTag.Parse(prop.Name);
            var vrText = prop.Value.TryGetProperty("vr", out var vrProp) ? vrProp.GetString() : null;
            var vr = vrText is not null && DicomVR.TryParse(vrText, out var parsed) ? parsed : DicomDictionary.Default.ImplicitVR(tag);
            if (tag == DicomTags.SpecificCharacterSet)
            {
                // JSON text is Unicode whatever the original repertoire was: record it as UTF-8.
                ds.Add(tag, DicomVR.CS, "ISO_IR 192");
                continue;
            }
            ds.Add(ReadElement(tag, vr, prop.Value));
        }
        return ds;
    }

    private static DicomElement ReadElement(DicomTag tag, DicomVR vr, JsonElement e)
    {
        if (e.TryGetProperty("BulkDataURI", out var uri))
            return new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty, DicomCharacterSet.Utf8) { BulkDataUri = uri.GetString() };
        if (e.TryGetProperty("InlineBinary", out var inline))
            return new DicomElement(tag, vr, DicomValueEncoder.Pad(inline.GetBytesFromBase64(), 0), DicomCharacterSet.Utf8);
        if (!e.TryGetProperty("Value", out var value) || value.ValueKind != JsonValueKind.Array)
            return vr == DicomVR.SQ ? new DicomSequence(tag) : new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty, DicomCharacterSet.Utf8);
        if (vr == DicomVR.SQ) return new DicomSequence(tag, value.EnumerateArray().Select(ReadObject));
        var texts = value.EnumerateArray().Select(v => v.ValueKind switch
        {
            JsonValueKind.Null => "",
            JsonValueKind.Object when vr == DicomVR.PN => PersonName(v),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String => v.GetString()!,
            _ => throw new FormatException($"{tag}: unexpected JSON {v.ValueKind} in Value"),
        }).ToArray();
        if (vr == DicomVR.DS) texts = texts.Select(FitDecimalString).ToArray();
        return DicomValueEncoder.Encode(tag, vr, texts, DicomCharacterSet.Utf8);
    }

    private static string PersonName(JsonElement pn)
    {
        string Get(string name) => pn.TryGetProperty(name, out var p) ? p.GetString() ?? "" : "";
        return DicomPersonName.FromGroups(Get("Alphabetic"), Get("Ideographic"), Get("Phonetic")).Value;
    }

    // A DS value is at most 16 characters (PS3.5 Table 6.2-1); JSON numbers can be longer.
    private static string FitDecimalString(string s)
    {
        if (s.Length <= 16 || !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return s;
        for (var digits = 15; digits > 0; digits--)
        {
            var t = d.ToString("G" + digits, CultureInfo.InvariantCulture);
            if (t.Length <= 16) return t;
        }
        return s;
    }
}
