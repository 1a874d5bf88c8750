using System.Text.Json.Nodes;

namespace MedImaging.Directory.Bench.Generation;

/// <summary>An institution of a node's registry (tier file <c>institutions</c>).</summary>
public sealed record Institution(string Code, string NameZh, string NameEn, string? Email, string? Phone, string? Address, string? Postcode);

/// <summary>A node whose entries the generator writes: its id, OID root and administrative code (for resource identifiers), and its institutions.</summary>
public sealed record OriginNode(string NodeId, string OidRoot, string AdministrativeCode, IReadOnlyList<Institution> Institutions);

/// <summary>
/// The node and the nodes below it, read from tier files: entries replicated from child nodes sit beside the node's own
/// (federation-shaped data). Children are looked up as <c>{id}.json</c> beside the node's tier file, then in deploy/tiers.
/// </summary>
public static class NodeTiers
{
    public static IReadOnlyList<OriginNode> Load(string tierFile)
    {
        var nodes = new List<OriginNode>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string file)
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var id = json["nodeId"]!.GetValue<string>();
            if (!seen.Add(id)) return;
            nodes.Add(new OriginNode(id, json["oidRoot"]?.GetValue<string>() ?? "2.25", json["administrativeCode"]?.GetValue<string>() ?? "000000",
                [.. (json["institutions"]?.AsArray() ?? []).Select(i => new Institution(
                    i!["code"]!.GetValue<string>(), i["name"]?["zh"]?.GetValue<string>() ?? i["code"]!.GetValue<string>(),
                    i["name"]?["en"]?.GetValue<string>() ?? i["code"]!.GetValue<string>(), i["email"]?.GetValue<string>(),
                    i["phone"]?.GetValue<string>(), i["address"]?.GetValue<string>(), i["postcode"]?.GetValue<string>()))]));
            foreach (var child in json["children"]?.AsArray() ?? [])
                if (Find(child!.GetValue<string>(), Path.GetDirectoryName(Path.GetFullPath(file))!) is { } childFile) Visit(childFile);
        }
        Visit(tierFile);
        if (nodes[0].Institutions.Count == 0) throw new InvalidDataException($"{tierFile}: the node has no institutions to publish entries for");
        return [.. nodes.Where(n => n.Institutions.Count > 0)];
    }

    private static string? Find(string nodeId, string besides)
    {
        foreach (var dir in new[] { besides, Path.Combine(MedImaging.TestSupport.RepositoryRoot.Path, "deploy", "tiers") })
            if (Path.Combine(dir, nodeId + ".json") is var f && File.Exists(f)) return f;
        return null;
    }
}
