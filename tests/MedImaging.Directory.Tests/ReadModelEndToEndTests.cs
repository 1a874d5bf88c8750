using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests;

/// <summary>
/// An entry taken through Registration's workflow API reaches the directory's search through the node's real broker:
/// published it is found; reopened for correction it is hidden; republished it is found as its new version; withdrawn
/// it is gone (ADR 0024).
/// </summary>
[Collection(CatalogNodeGroup.Name)]
public sealed class ReadModelEndToEndTests(CatalogNode node)
{
    [Fact]
    public async Task A_published_entry_is_found_hidden_while_revised_found_again_as_republished_and_gone_when_withdrawn()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var id = await node.PublishAsync($"端到端 {run} 肺结节筛查 初版");

        var found = await node.WaitForSearchAsync(run, h => h.Total == 1, "the publication reached the directory");
        var entry = Assert.Single(found.Items).Entry;
        Assert.Equal((node.NodeId, id, 1), (entry.OriginNode, entry.ResourceId, entry.RecordVersion));
        Assert.Equal(CatalogNode.InstitutionA, entry.Institution);
        Assert.Equal("2.2.1", entry.ClassificationCode);
        Assert.Equal("publisher-1", entry.PublishedBy);

        // Reopened with a corrected title: out of the directory until the new version is published.
        await CatalogNode.StepAsync(id, "revise", node.Registrar("cataloguer-1", Roles.Cataloguer),
            new { reason = "标题更正", values = new Dictionary<string, string> { ["resourceTitle"] = $"端到端 {run} 肺结节筛查 修订版" } });
        await node.WaitForSearchAsync(run, h => h.Total == 0, "the revision hid the entry");

        await node.ApproveAndPublishAsync(id);
        var republished = await node.WaitForSearchAsync(run, h => h.Total == 1, "the republished version reached the directory");
        Assert.Equal(2, republished.Items[0].Entry.RecordVersion);
        Assert.Contains("修订版", republished.Items[0].Entry.Title, StringComparison.Ordinal);
        Assert.Equal(0, (await node.SearchAsync($"{run} 初版")).Total);

        await CatalogNode.StepAsync(id, "withdraw", node.Registrar("publisher-1", Roles.Publisher), new { reason = "数据集停止共享" });
        await node.WaitForSearchAsync(run, h => h.Total == 0, "the withdrawal removed the entry");
        // The row stays as a tombstone holding the version, so that a late copy of the publication cannot bring it back.
        Assert.Equal(1, await node.CountAsync(
            "SELECT count(*) FROM directory.catalog_entries WHERE resource_id = $1 AND state = 'Withdrawn' AND record_version = 2", id));
    }
}
