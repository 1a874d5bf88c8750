using System.Net.Http.Json;
using MassTransit;
using MedImaging.Contracts.Metadata;

namespace MedImaging.Metadata.Tests;

/// <summary>ClassificationSchemeChanged leaves through the outbox and arrives at a consumer on the node's broker.</summary>
public sealed class ClassificationEventTests(MetadataFixture fx) : IClassFixture<MetadataFixture>
{
    private sealed class Probe(TaskCompletionSource<ClassificationSchemeChanged> received) : IConsumer<ClassificationSchemeChanged>
    {
        public Task Consume(ConsumeContext<ClassificationSchemeChanged> context)
        {
            received.TrySetResult(context.Message);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task AddingANodePublishesClassificationSchemeChangedThroughTheOutbox()
    {
        var received = new TaskCompletionSource<ClassificationSchemeChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        var amqp = new UriBuilder(fx.Node.Servers.RabbitMq) { Path = "/" + Uri.EscapeDataString(fx.Node.Vhost) }.Uri;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(amqp);
            cfg.ReceiveEndpoint("test-classification-probe", e => e.Consumer(() => new Probe(received)));
        });
        await bus.StartAsync();
        try
        {
            var response = await fx.Admin.PostAsJsonAsync("/classification/nodes",
                new { parentCode = "8.2", code = "5", nameZh = "质量评估", nameEn = "Quality assessment", reason = "AI QC results", source = "AI 平台" });
            response.EnsureSuccessStatusCode();

            Assert.Equal(1, await fx.ScalarAsync("SELECT count(*) FROM metadata.outbox_messages WHERE message_type = 'MedImaging.Contracts.Metadata.ClassificationSchemeChanged'"));
            var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(("imaging", "node-added", "8.2.5", "meta-admin", "AI QC results"), (message.SchemeCode, message.ChangeKind, message.Subject, message.ChangedBy, message.Reason));
            Assert.Equal("hebei", message.OriginNode);
            await WaitUntilAsync(async () => await fx.ScalarAsync("SELECT count(*) FROM metadata.outbox_messages WHERE sent_at IS NULL") == 0);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(200);
        }
    }
}
