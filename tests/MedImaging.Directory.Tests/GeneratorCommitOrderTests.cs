using MedImaging.Directory.Bench.Generation;
using MedImaging.Directory.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>
/// The generator's writers copy batches in parallel but commit them in order: when a batch fails, the table holds
/// exactly the batches before it, so <c>--start</c> at the first missing entry continues the load.
/// </summary>
public sealed class GeneratorCommitOrderTests
{
    [Fact]
    public async Task A_failed_batch_leaves_exactly_the_batches_before_it()
    {
        await using var node = await DirectoryNode.CreateAsync();
        var catalog = new SyntheticCatalog(NodeTiers.Load(node.Node.TierFile), ClassificationScheme.Load(), Vocabulary.Load(), seed: 3);
        var connection = node.Node.PostgresConnectionString;
        // Entries 500…599 are there already: the sixth batch of 100 collides with them on the primary key.
        await CatalogLoader.LoadAsync(connection, catalog, 500, 100, 100, null, CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => CatalogLoader.LoadAsync(connection, catalog, 0, 1000, 100, null, CancellationToken.None, writers: 3));

        await using var scope = node.Directory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        var ids = await db.CatalogEntries.Select(e => e.ResourceId).ToListAsync();
        var expected = Enumerable.Range(0, 600).Select(i => catalog.Entry(i).ResourceId).ToHashSet();
        Assert.Equal(600, ids.Count);
        Assert.True(expected.SetEquals(ids), "the table holds entries 0…599: batches 0–4 and the 100 loaded before, none after the failed batch");
    }
}
