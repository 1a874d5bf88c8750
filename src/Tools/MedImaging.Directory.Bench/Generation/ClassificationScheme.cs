using System.Text.Json;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Bench.Generation;

/// <summary>
/// The imaging classification scheme the Metadata service seeds (src/Services/Metadata/Seed/imaging-classification.json):
/// 类目 (imaging unit) → 亚目 (body region) → 细目 (examination type), so every generated code exists in it.
/// </summary>
public sealed class ClassificationScheme
{
    private readonly Dictionary<string, Node> _byCode = new(StringComparer.Ordinal);

    private ClassificationScheme(string code, string nameZh, JsonElement categories)
    {
        Code = code;
        NameZh = nameZh;
        Walk(categories, "");
    }

    public string Code { get; }
    public string NameZh { get; }

    public sealed record Node(string Code, string NameZh, string NameEn, IReadOnlyList<string> Children);

    public static ClassificationScheme Load(string? path = null)
    {
        path ??= Path.Combine(RepositoryRoot.Path, "src", "Services", "Metadata", "Seed", "imaging-classification.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        return new ClassificationScheme(root.GetProperty("code").GetString()!, root.GetProperty("nameZh").GetString()!, root.GetProperty("categories"));
    }

    /// <summary>The node of a dotted code ("2", "2.2", "2.2.1"), or null when the scheme has none.</summary>
    public Node? Find(string code) => _byCode.GetValueOrDefault(code);

    public IEnumerable<Node> All => _byCode.Values;

    private void Walk(JsonElement items, string prefix)
    {
        foreach (var item in items.EnumerateArray())
        {
            var code = prefix.Length == 0 ? item.GetProperty("code").GetString()! : $"{prefix}.{item.GetProperty("code").GetString()}";
            var children = item.TryGetProperty("children", out var c) ? c : default;
            var childCodes = children.ValueKind == JsonValueKind.Array ? children.EnumerateArray().Select(x => $"{code}.{x.GetProperty("code").GetString()}").ToList() : [];
            _byCode[code] = new Node(code, item.GetProperty("nameZh").GetString()!, item.GetProperty("nameEn").GetString()!, childCodes);
            if (childCodes.Count > 0) Walk(children, code);
        }
    }
}
