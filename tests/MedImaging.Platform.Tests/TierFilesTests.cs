using MedImaging.ServiceDefaults.Node;
using MedImaging.TestSupport;

namespace MedImaging.Platform.Tests;

// The shipped node files are what `up.sh <node>` starts: each must pass the loader, and the tree they describe must
// hold together (a parent names the child back, every adapter maps to an institution of its own node).
public sealed class TierFilesTests
{
    private static readonly string Tiers = Path.Combine(RepositoryRoot.Path, "deploy", "tiers");

    public static TheoryData<string> Files() => [.. System.IO.Directory.GetFiles(Tiers, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryShippedNodeFileLoads(string file)
    {
        var node = NodeConfigurationLoader.Load(Path.Combine(Tiers, file));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), node.NodeId);
        Assert.NotEmpty(node.Institutions);
        Assert.All(node.Adapters, a => Assert.Contains(node.Institutions, i => i.Code == a.Value.Institution));
    }

    [Fact]
    public void ParentsAndChildrenNameEachOther()
    {
        var nodes = System.IO.Directory.GetFiles(Tiers, "*.json").Select(NodeConfigurationLoader.Load).ToDictionary(n => n.NodeId);
        Assert.True(nodes.Count >= 4, "the province, a city and its counties ship as examples");
        foreach (var node in nodes.Values)
        {
            if (node.Parent is { } parent && nodes.TryGetValue(parent, out var p)) Assert.Contains(node.NodeId, p.Children);
            foreach (var child in node.Children.Where(nodes.ContainsKey)) Assert.Equal(node.NodeId, nodes[child].Parent);
        }
    }
}
