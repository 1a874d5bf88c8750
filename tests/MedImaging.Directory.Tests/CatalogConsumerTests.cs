using System.Globalization;
using MassTransit;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedImaging.Directory.Tests;

/// <summary>
/// The read model's consumers on the real broker: a fact published again (a relay resending after a crash, a fact
/// replicated twice — each a new message id the inbox cannot recognise) or out of order changes nothing it should not.
/// </summary>
public sealed class CatalogConsumerTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _node.Directory.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Redelivered_and_out_of_order_facts_change_nothing_through_the_consumers()
    {
        var bus = _node.Directory.Services.GetRequiredService<IBus>();
        var v1 = _node.Published("乱序 胸部CT 第一版");
        var revised = new ResourceRevised { OriginNode = v1.OriginNode, ResourceId = v1.ResourceId, RecordVersion = 2, PreviousState = "published", Actor = "c" };
        var v2 = v1 with { RecordVersion = 2, Title = "乱序 胸部CT 第二版" };
        var other = _node.Published("乱序 腹部MR", id: Guid.CreateVersion7());

        // The later version first, then the earlier one and the revision late, then everything again.
        await bus.Publish(v2);
        await WaitHandledAsync("ResourcePublishedConsumer", 1);
        await bus.Publish(v1);
        await bus.Publish(revised);
        await WaitHandledAsync("ResourcePublishedConsumer", 2);
        await WaitHandledAsync("ResourceRevisedConsumer", 1);
        await bus.Publish(v2);
        await bus.Publish(v1);
        await bus.Publish(revised);
        await bus.Publish(other);
        await WaitHandledAsync("ResourcePublishedConsumer", 5);
        await WaitHandledAsync("ResourceRevisedConsumer", 2);

        var hits = await SearchAsync("乱序");
        Assert.Equal(["乱序 胸部CT 第二版", "乱序 腹部MR"], hits.Items.Select(h => h.Entry.Title).Order(StringComparer.Ordinal));
        Assert.Equal(2, hits.Items.Single(h => h.Entry.ResourceId == v1.ResourceId).Entry.RecordVersion);
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM directory.catalog_entries"));

        // Withdrawn; its publication and the revision delivered again never bring it back.
        var withdrawn = new ResourceWithdrawn { OriginNode = v1.OriginNode, ResourceId = v1.ResourceId, RecordVersion = 2, Actor = "p", Reason = "duplicate" };
        await bus.Publish(withdrawn);
        await WaitHandledAsync("ResourceWithdrawnConsumer", 1);
        await bus.Publish(v2);
        await bus.Publish(revised);
        await bus.Publish(withdrawn);
        await WaitHandledAsync("ResourcePublishedConsumer", 6);
        await WaitHandledAsync("ResourceRevisedConsumer", 3);
        await WaitHandledAsync("ResourceWithdrawnConsumer", 2);
        Assert.Equal(["乱序 腹部MR"], (await SearchAsync("乱序")).Items.Select(h => h.Entry.Title));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM directory.catalog_entries WHERE state = 'Withdrawn' AND record_version = 2"));
    }

    private async Task<CatalogHits> SearchAsync(string text)
    {
        await using var scope = _node.Directory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ICatalogSearch>().SearchAsync(new CatalogQuery { Text = text },
            new CallerScope(SecurityLevels.Confidential, _node.NodeId, null), new CatalogPage(), CancellationToken.None);
    }

    // Each message the consumer handled is one inbox row (the inbox is committed with the change): wait for the count.
    private async Task WaitHandledAsync(string consumer, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        long handled;
        while ((handled = await CountAsync($"SELECT count(*) FROM directory.inbox_messages WHERE consumer = '{consumer}'")) < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{consumer} handled {handled} of {count} messages");
            await Task.Delay(200);
        }
        Assert.Equal(count, handled);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
