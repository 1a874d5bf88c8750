using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests.Subscriptions;

/// <summary>What the subscription tests do around a <see cref="DirectoryNode"/>: publish on the node's broker, wait for the consumer, call as a named user.</summary>
internal static class SubscriptionNode
{
    /// <summary>Webhooks to this machine only, and short delays so that retries come within a test.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastWebhooks = new Dictionary<string, string?>
    {
        ["Directory:Webhooks:AllowedHosts:0"] = "127.0.0.1",
        ["Directory:Webhooks:PollInterval"] = "00:00:00.100",
        ["Directory:Webhooks:FirstRetryDelay"] = "00:00:00.200",
        ["Directory:Webhooks:MaxRetryDelay"] = "00:00:01",
        ["Directory:Webhooks:MaxAttempts"] = "3",
    };

    public static HttpClient As(this DirectoryNode node, string user, string clearance, string? institution = null, params string[] roles) =>
        node.Directory.CreateClient().WithToken(TestTokens.CreateScoped(node.Node, user, clearance, institution, roles.Length == 0 ? [Roles.Researcher] : roles));

    /// <summary>Publishes the facts on the node's RabbitMQ (as Registration's outbox relay would) and waits until the subscription consumer handled each.</summary>
    public static async Task PublishAndWaitAsync(this DirectoryNode node, params ResourcePublished[] facts)
    {
        var bus = node.Directory.Services.GetRequiredService<IBusControl>();
        using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60))) await bus.WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
        var ids = new List<Guid>();
        foreach (var fact in facts)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            await bus.Publish(fact, ctx => ctx.MessageId = id);
        }
        await WaitUntilAsync(async () =>
        {
            await using var scope = node.Directory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
            var handled = await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM directory.inbox_messages WHERE consumer = 'SubscriptionMatchingConsumer' AND message_id = ANY({ids.ToArray()})").SingleAsync();
            return handled == ids.Count;
        }, "the subscription consumer handled every publication");
    }

    public static async Task<JsonObject> SubscribeAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/subscriptions", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonArray> NotificationsAsync(this HttpClient client, string query = "")
    {
        var page = JsonNode.Parse(await client.GetStringAsync("/notifications" + query))!;
        return page["items"]!.AsArray();
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        // A generous bound for a loaded machine: the test waits for a state, it does not time anything.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 90 s for: {what}");
            await Task.Delay(100);
        }
    }
}
