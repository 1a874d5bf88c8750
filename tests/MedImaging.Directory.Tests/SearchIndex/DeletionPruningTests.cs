using MedImaging.Directory.Search;
using MedImaging.Directory.Search.Index;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests.SearchIndex;

/// <summary>
/// Outright deletions stay in the change feed for a retention period and are then pruned (ADR 0030); an index saved
/// before deletions that are gone from the feed rebuilds itself from the table instead of keeping the deleted entries.
/// </summary>
public sealed class DeletionPruningTests
{
    private static readonly CallerScope Caller = new(SecurityLevels.Confidential, null, null);

    // The index answers once it has caught up (a restarted host that resets its index rebuilds first, and meanwhile the
    // search is answered from PostgreSQL): asked until the index itself answers, within a deadline.
    private static async Task<(long Total, CatalogIndex Index)> SearchAsync(ServiceFactory<DirectoryServiceMarker> host, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var index = scope.ServiceProvider.GetRequiredService<CatalogIndex>();
            var answered = index.Searches.Answered;
            var hits = await scope.ServiceProvider.GetRequiredService<ICatalogSearch>().SearchAsync(new CatalogQuery { Text = text }, Caller, new CatalogPage(), CancellationToken.None);
            if (index.Searches.Answered == answered + 1) return (hits.Total, index);
            Assert.True(DateTime.UtcNow < deadline, "the search index never answered");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task An_index_saved_before_pruned_deletions_is_rebuilt_from_the_table()
    {
        var path = System.IO.Directory.CreateTempSubdirectory("medcat-index-prune-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Directory:Index:Path"] = path,
                ["Directory:Index:CommitInterval"] = "00:00:00.001",
                ["Directory:Index:PruneInterval"] = "10:00:00",
            };
            await using var node = await DirectoryNode.CreateAsync(settings);
            var kept = node.Published("肩袖损伤 MR 甲");
            var deleted = node.Published("肩袖损伤 MR 乙");
            await node.ApplyAsync(kept, deleted);
            Assert.Equal(2, (await SearchAsync(node.Directory, "肩袖损伤")).Total);
            await node.Directory.DisposeAsync(); // the index is saved at stop, with both entries

            // An operator deletes one outright; another instance, its retention past, prunes the deletion from the feed.
            Assert.Equal(1, await node.ScalarAsync($"WITH d AS (DELETE FROM directory.catalog_entries WHERE resource_id = '{deleted.ResourceId}' RETURNING 1) SELECT count(*) FROM d"));
            Assert.True(await node.ScalarAsync("""
                WITH gone AS (DELETE FROM directory.catalog_deletions RETURNING change_seq)
                UPDATE directory.catalog_deletions_pruned SET pruned_through = (SELECT max(change_seq) FROM gone) RETURNING pruned_through
                """) > 0);

            var restarted = node.Own(new ServiceFactory<DirectoryServiceMarker>(node.Node, settings));
            var (total, index) = await SearchAsync(restarted, "肩袖损伤");
            Assert.Equal(path, index.Location); // the same saved index, not a fresh one of its own
            Assert.Equal(1, total);
        }
        finally
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public async Task Deletions_past_the_retention_are_pruned_once_applied()
    {
        await using var node = await DirectoryNode.CreateAsync(new Dictionary<string, string?>
        {
            ["Directory:Index:DeletionRetention"] = "00:00:00",
            ["Directory:Index:PruneInterval"] = "00:00:00",
            ["Directory:Index:PollInterval"] = "00:00:00.100",
        });
        var entry = node.Published("半月板撕裂 MR");
        await node.ApplyAsync(entry, node.Published("半月板撕裂 MR 复查"));
        Assert.Equal(2, (await SearchAsync(node.Directory, "半月板撕裂")).Total);
        await node.ScalarAsync($"WITH d AS (DELETE FROM directory.catalog_entries WHERE resource_id = '{entry.ResourceId}' RETURNING 1) SELECT count(*) FROM d");
        Assert.Equal(1, (await SearchAsync(node.Directory, "半月板撕裂")).Total);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await node.ScalarAsync("SELECT count(*) FROM directory.catalog_deletions") > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(0, await node.ScalarAsync("SELECT count(*) FROM directory.catalog_deletions"));
        Assert.True(await node.ScalarAsync("SELECT pruned_through FROM directory.catalog_deletions_pruned") > 0);
        Assert.Equal(1, (await SearchAsync(node.Directory, "半月板撕裂")).Total);
    }
}
