using System.Globalization;
using System.Text.Json;

namespace MedImaging.Dicom;

/// <summary>Reads the DICOM JSON model (PS3.18 Annex F): values, PN objects, InlineBinary and BulkDataURI.</summary>
public static class DicomJsonReader
{
    /// <summary>Parses one dataset object (or the first object of an array, as QIDO-RS/WADO-RS metadata return).</summary>
    /// <exception cref="DicomReadException">The text is not JSON, or not the DICOM JSON model; names the tag path.</exception>
    public static DicomDataset Parse(string json)
    {
        using var doc = ParseDocument(json);
        return Read(doc.RootElement);
    }

    /// <summary>Parses every dataset of a JSON array (or the one object).</summary>
    /// <exception cref="DicomReadException">The text is not JSON, or not the DICOM JSON model; names the tag path.</exception>
    public static IReadOnlyList<DicomDataset> ParseAll(string json)
    {
        using var doc = ParseDocument(json);
        return doc.RootElement.ValueKind == JsonValueKind.Array
            ? doc.RootElement.EnumerateArray().Select((e, i) => ReadObject(e, $"[{i}]")).ToList() : [ReadObject(doc.RootElement, "")];
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = NestingGuard.JsonDepth });
        }
        catch (JsonException ex)
        {
            throw new DicomReadException($"Not JSON: {ex.Message}", ex.BytePositionInLine ?? 0, $"line {ex.LineNumber + 1}", ex);
        }
    }

    /// <summary>Reads a dataset from a parsed JSON element. Text is held as UTF-8 (ISO_IR 192), which JSON is.</summary>
    /// <exception cref="DicomReadException">The element is not the DICOM JSON model; names the tag path.</exception>
    public static DicomDataset Read(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array when root.GetArrayLength() > 0 => ReadObject(root[0], "[0]"),
        _ => ReadObject(root, ""),
    };

    private static DicomDataset ReadObject(JsonElement obj, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw new DicomReadException($"A DICOM JSON dataset is an object, not {obj.ValueKind}", 0, path);
        var ds = new DicomDataset(DicomCharacterSet.Utf8);
        foreach (var prop in obj.EnumerateObject())
        {
            var where = path.Length == 0 ? prop.Name : $"{path}/{prop.Name}";
            try
            {
                ReadProperty(ds, prop, where);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException or OverflowException or KeyNotFoundException)
            {
                // Caller input: one exception type, naming the element, whatever the JSON got wrong.
                throw new DicomReadException($"Invalid DICOM JSON element: {ex.Message}", 0, where, ex);
            }
        }
        return ds;
    }

    private static void ReadProperty(DicomDataset ds, JsonProperty prop, string path)
    {
        var tag = DicomTag.Parse(prop.Name);
        var vrText = prop.Value.TryGetProperty("vr", out var vrProp) ? vrProp.GetString() : null;
        var vr = vrText is not null && DicomVR.TryParse(vrText, out var parsed) ? parsed : DicomDictionary.Default.ImplicitVR(tag);
        if (tag == DicomTags.SpecificCharacterSet)
        {
            // JSON text is Unicode whatever the original repertoire was: record it as UTF-8.
            ds.Add(tag, DicomVR.CS, "ISO_IR 192");
            return;
        }
        ds.Add(ReadElement(tag, vr, prop.Value, path));
    }

    private static DicomElement ReadElement(DicomTag tag, DicomVR vr, JsonElement e, string path)
    {
        if (e.TryGetProperty("BulkDataURI", out var uri))
            return new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty, DicomCharacterSet.Utf8) { BulkDataUri = uri.GetString() };
        if (e.TryGetProperty("InlineBinary", out var inline))
            return new DicomElement(tag, vr, DicomValueEncoder.Pad(inline.GetBytesFromBase64(), 0), DicomCharacterSet.Utf8);
        if (!e.TryGetProperty("Value", out var value) || value.ValueKind != JsonValueKind.Array)
            return vr == DicomVR.SQ ? new DicomSequence(tag) : new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty, DicomCharacterSet.Utf8);
        if (vr == DicomVR.SQ) return new DicomSequence(tag, value.EnumerateArray().Select((item, i) => ReadObject(item, $"{path}[{i}]")));
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
