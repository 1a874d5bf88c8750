using MedImaging.Contracts.Registration;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>The read model applies each fact once, in version order, whatever order and however often it arrives.</summary>
public sealed class ReadModelWriterTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;

    public async Task InitializeAsync() => _node = await DirectoryNode.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<CatalogHits> SearchAsync(string text, CallerScope? caller = null)
    {
        await using var scope = _node.Directory.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<ICatalogSearch>();
        return await search.SearchAsync(new CatalogQuery { Text = text }, caller ?? new CallerScope(SecurityLevels.Confidential, _node.NodeId, null),
            new CatalogPage(), CancellationToken.None);
    }

    [Fact]
    public async Task A_redelivered_publication_is_one_entry_and_a_later_version_replaces_the_earlier()
    {
        var v1 = _node.Published("胸部CT平扫 第一版");
        await _node.ApplyAsync(v1, v1);
        Assert.Equal(1, (await SearchAsync("第一版")).Total);

        var revised = new ResourceRevised { OriginNode = v1.OriginNode, ResourceId = v1.ResourceId, RecordVersion = 2, PreviousState = "published", Actor = "c" };
        await _node.ApplyAsync(revised);
        Assert.Equal(0, (await SearchAsync("第一版")).Total);

        var v2 = v1 with { RecordVersion = 2, Title = "胸部CT平扫 第二版" };
        await _node.ApplyAsync(v2, v1);
        Assert.Equal(0, (await SearchAsync("第一版")).Total);
        Assert.Equal(1, (await SearchAsync("第二版")).Total);
    }

    [Fact]
    public async Task A_withdrawal_removes_the_entry_and_its_late_publication_never_brings_it_back()
    {
        var p = _node.Published("腹部MR增强");
        var withdrawn = new ResourceWithdrawn { OriginNode = p.OriginNode, ResourceId = p.ResourceId, RecordVersion = 1, Actor = "p", Reason = "duplicate" };
        // The withdrawal arrives first (another queue was faster), then the publication of the same version.
        await _node.ApplyAsync(withdrawn, p);
        Assert.Equal(0, (await SearchAsync("腹部")).Total);

        var other = _node.Published("腹部CT");
        await _node.ApplyAsync(other, withdrawn with { ResourceId = other.ResourceId });
        Assert.Equal(0, (await SearchAsync("腹部")).Total);

        // Reopened, corrected and republished as version 2: back in the directory.
        var republished = p with { RecordVersion = 2 };
        await _node.ApplyAsync(new ResourceRevised { OriginNode = p.OriginNode, ResourceId = p.ResourceId, RecordVersion = 2, PreviousState = "withdrawn", Actor = "c" }, republished);
        Assert.Equal(1, (await SearchAsync("腹部")).Total);
    }

    [Fact]
    public async Task Entries_above_the_callers_clearance_or_of_another_institution_are_not_found()
    {
        await _node.ApplyAsync(
            _node.Published("结节随访 公开", SecurityLevels.Public),
            _node.Published("结节随访 内部", SecurityLevels.Internal),
            _node.Published("结节随访 受限", SecurityLevels.Restricted),
            _node.Published("结节随访 他院", SecurityLevels.Public, institution: "OTHER-HOSPITAL"));
        Assert.Equal(4, (await SearchAsync("结节")).Total);
        Assert.Equal(2, (await SearchAsync("结节", new CallerScope(SecurityLevels.Public, null, null))).Total);
        Assert.Equal(2, (await SearchAsync("结节", new CallerScope(SecurityLevels.Internal, _node.NodeId, _node.FirstInstitution))).Total);
    }
}
