using MedImaging.Directory.Catalog;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

public sealed class UsageCountTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;

    public async Task InitializeAsync() => _node = await DirectoryNode.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Uses_of_an_entry_add_up_per_day_kind_and_caller_institution()
    {
        var a = new EntryKey(_node.NodeId, Guid.CreateVersion7());
        var b = new EntryKey(_node.NodeId, Guid.CreateVersion7());
        await using (var scope = _node.Directory.Services.CreateAsyncScope())
        {
            var usage = scope.ServiceProvider.GetRequiredService<ICatalogUsage>();
            var hospital = new CallerScope(SecurityLevels.Internal, _node.NodeId, "H1");
            await usage.RecordAsync(UsageKind.View, [a], hospital, CancellationToken.None);
            await usage.RecordAsync(UsageKind.View, [a], hospital, CancellationToken.None);
            await usage.RecordAsync(UsageKind.SearchHit, [a, b], new CallerScope(SecurityLevels.Public, null, null), CancellationToken.None);
        }
        await using var read = _node.Directory.Services.CreateAsyncScope();
        var rows = await read.ServiceProvider.GetRequiredService<DirectoryDbContext>().UsageCounts.AsNoTracking().ToListAsync();
        Assert.Equal(2, rows.Single(r => r.Kind == UsageKind.View && r.ResourceId == a.ResourceId && r.Institution == "H1").Count);
        Assert.Equal(2, rows.Count(r => r.Kind == UsageKind.SearchHit && r.Count == 1 && r.Institution == ""));
    }
}
