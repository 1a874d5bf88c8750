using System.Globalization;
using System.Text.Json;

namespace MedImaging.Dicom.Tests.Peers;

/// <summary>Compares two DICOM JSON (PS3.18 Annex F) documents semantically: numbers as numbers, PN by group.</summary>
internal static class JsonTreeComparer
{
    public static void Compare(JsonElement theirs, JsonElement ours, string path, List<string> diffs)
    {
        var ourTags = ours.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        foreach (var t in theirs.EnumerateObject())
        {
            var where = $"{path}/{t.Name}";
            if (!ourTags.Remove(t.Name, out var o)) { diffs.Add($"{where}: missing here"); continue; }
            var tvr = t.Value.GetProperty("vr").GetString();
            var ovr = o.GetProperty("vr").GetString();
            if (tvr != ovr) diffs.Add($"{where}: vr {ovr}, dcm2json {tvr}");
            if (t.Value.TryGetProperty("InlineBinary", out var tb))
            {
                var ob = o.TryGetProperty("InlineBinary", out var x) ? x.GetBytesFromBase64() : [];
                var tbytes = tb.GetBytesFromBase64();
                // dcmtk pads odd-length values to even on reading; we keep the value as it was in the file.
                var (shorter, longer) = ob.Length <= tbytes.Length ? (ob, tbytes) : (tbytes, ob);
                if (!shorter.AsSpan().SequenceEqual(longer.AsSpan(0, Math.Min(longer.Length, shorter.Length))) || longer.Length - shorter.Length > 1)
                    diffs.Add($"{where}: InlineBinary differs ({ob.Length} vs {tbytes.Length} bytes)");
                continue;
            }
            // dcm2json rewrites (0008,0005) to ISO_IR 192 at the top level only, though item text is transcoded too.
            if (t.Name == "00080005" && path.Contains('[', StringComparison.Ordinal)) continue;
            var tv = t.Value.TryGetProperty("Value", out var a) ? a.EnumerateArray().ToList() : [];
            var ov = o.TryGetProperty("Value", out var b) ? b.EnumerateArray().ToList() : [];
            if (tv.Count != ov.Count) { diffs.Add($"{where}: {ov.Count} values, dcm2json {tv.Count}"); continue; }
            for (var i = 0; i < tv.Count; i++)
            {
                if (tvr == "SQ") Compare(tv[i], ov[i], $"{where}[{i}]", diffs);
                else if (!SameValue(tv[i], ov[i])) diffs.Add($"{where}[{i}]: {ov[i].GetRawText()} but dcm2json {tv[i].GetRawText()}");
            }
        }
        foreach (var extra in ourTags.Keys) diffs.Add($"{path}/{extra}: present here, not in dcm2json");
    }

    private static bool SameValue(JsonElement t, JsonElement o)
    {
        if (t.ValueKind == JsonValueKind.Number || o.ValueKind == JsonValueKind.Number)
        {
            double Num(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble()
                : double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
            var (x, y) = (Num(t), Num(o));
            return x == y || Math.Abs(x - y) <= 1e-6 * Math.Max(1, Math.Abs(x));
        }
        if (t.ValueKind == JsonValueKind.Object)
        {
            string G(JsonElement e, string n) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(n, out var p) ? p.GetString() ?? "" : "";
            return new[] { "Alphabetic", "Ideographic", "Phonetic" }.All(n => G(t, n).TrimEnd(' ', '^') == G(o, n).TrimEnd(' ', '^'));
        }
        string S(JsonElement e) => e.ValueKind == JsonValueKind.Null ? "" : e.GetString()!.Trim(' ', '\0');
        return S(t) == S(o);
    }
}
