using MedImaging.Contracts.Registration;
using MedImaging.Directory.Search;
using MedImaging.Directory.Search.Index;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests.SearchIndex;

/// <summary>
/// A search answered by the index (ADR 0030) sees every entry committed before it began: a publication is found and a
/// withdrawal is gone at once, without waiting for the feeder's poll; and a query with a binding's own SQL condition
/// is left to PostgreSQL.
/// </summary>
public sealed class IndexFreshnessTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;

    public async Task InitializeAsync() => _node = await DirectoryNode.CreateAsync(new Dictionary<string, string?>
    {
        // A poll far longer than the test: only the search's own wake-up can bring the index up to date in time.
        ["Directory:Index:PollInterval"] = "00:10:00",
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_publication_is_found_and_a_withdrawal_gone_in_the_next_search()
    {
        var caller = new CallerScope(SecurityLevels.Confidential, _node.NodeId, null);
        var query = new CatalogQuery { Text = "髋关节置换术后复查" };
        var published = _node.Published("髋关节置换术后复查 CT");
        await using var scope = _node.Directory.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<ICatalogSearch>();
        var index = scope.ServiceProvider.GetRequiredService<CatalogIndex>();
        Assert.Equal(0, (await search.SearchAsync(query, caller, new CatalogPage(), CancellationToken.None)).Total);

        await _node.ApplyAsync(published);
        var before = index.Searches.Answered;
        var hits = await search.SearchAsync(query, caller, new CatalogPage(), CancellationToken.None);
        Assert.Equal(published.ResourceId, Assert.Single(hits.Items).Entry.ResourceId);
        Assert.Equal(before + 1, index.Searches.Answered);

        await _node.ApplyAsync(new ResourceWithdrawn { OriginNode = _node.NodeId, ResourceId = published.ResourceId, RecordVersion = 1, Actor = "publisher", Reason = "test" });
        Assert.Equal(0, (await search.SearchAsync(query, caller, new CatalogPage(), CancellationToken.None)).Total);
        Assert.Equal(before + 2, index.Searches.Answered);
    }

    [Fact]
    public async Task A_query_with_a_bindings_own_condition_runs_in_PostgreSQL()
    {
        await _node.ApplyAsync(_node.Published("股骨头坏死 MR"));
        await using var scope = _node.Directory.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<ICatalogSearch>();
        var index = scope.ServiceProvider.GetRequiredService<CatalogIndex>();
        var declined = index.Searches.Declined;
        var hits = await search.SearchAsync(new CatalogQuery { Where = e => e.Title.StartsWith("股骨头") }, new CallerScope(SecurityLevels.Public, null, null),
            new CatalogPage(), CancellationToken.None);
        Assert.Equal(1, hits.Total);
        Assert.Equal(declined + 1, index.Searches.Declined);
    }
}
