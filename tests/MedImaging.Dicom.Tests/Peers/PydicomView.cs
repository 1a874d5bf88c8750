using System.Text.Json;

namespace MedImaging.Dicom.Tests.Peers;

/// <summary>pydicom's reading of the whole corpus, from one python process.</summary>
internal static class PydicomView
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_full = new(() => Load(false));
    private static readonly Lazy<Dictionary<string, JsonElement>> s_meta = new(() => Load(true));

    public static Dictionary<string, JsonElement> Full => s_full.Value;
    public static Dictionary<string, JsonElement> MetadataOnly => s_meta.Value;

    private static Dictionary<string, JsonElement> Load(bool stopBeforePixels)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "pydicom_dump.py");
        var (code, stdout, stderr) = Corpus.Run(Corpus.Python, stopBeforePixels ? [script, "--stop-before-pixels"] : [script],
            string.Join('\n', Corpus.Files));
        if (code != 0) throw new InvalidOperationException($"pydicom dump failed: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!, e => e.Clone());
    }
}
