using System.Text;
using System.Text.Json.Nodes;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests.Subscriptions;

/// <summary>Webhooks: a signed POST per notification, sent by the dispatcher from the delivery table, retried with backoff, abandoned after N attempts.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "a-webhook-secret-of-the-subscriber";
    private DirectoryNode _node = null!;

    public async Task InitializeAsync() => _node = await DirectoryNode.CreateAsync(SubscriptionNode.FastWebhooks);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_receiver_failing_twice_gets_the_signed_notification_on_the_third_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 503, 204);
        using var client = _node.As("grace", SecurityLevels.Internal);
        var created = await client.SubscribeAsync(new { name = "钙化", query = new { text = "钙化" }, webhook = new { url = receiver.Url, secret = Secret } });
        Assert.Equal(Secret, created["webhook"]!["secret"]!.GetValue<string>());

        var entry = _node.Published("乳腺钼靶 钙化灶", SecurityLevels.Internal);
        await _node.PublishAndWaitAsync(entry);
        await SubscriptionNode.WaitUntilAsync(() => Task.FromResult(receiver.Requests.Any(r => r.AnsweredWith == 204)), "the receiver accepted a delivery");

        var requests = receiver.Requests.ToList();
        Assert.Equal([500, 503, 204], requests.Select(r => r.AnsweredWith));
        foreach (var r in requests)
        {
            Assert.True(WebhookSignature.Verify(Secret, r.Headers[WebhookSignature.TimestampHeader], r.Headers[WebhookSignature.SignatureHeader], r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)),
                $"signature {r.Headers[WebhookSignature.SignatureHeader]} over {Encoding.UTF8.GetString(r.Body)}");
            // Someone without the secret cannot make a valid one, and the signature covers the timestamp (no replay with a new time).
            Assert.False(WebhookSignature.Verify("another-secret-entirely", r.Headers[WebhookSignature.TimestampHeader], r.Headers[WebhookSignature.SignatureHeader], r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
            var shifted = (long.Parse(r.Headers[WebhookSignature.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(WebhookSignature.Verify(Secret, shifted, r.Headers[WebhookSignature.SignatureHeader], r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        }
        Assert.Single(requests.Select(r => r.Headers[WebhookSignature.DeliveryHeader]).Distinct());
        Assert.Single(requests.Select(r => Convert.ToBase64String(r.Body)).Distinct());
        Assert.StartsWith("application/json", requests[0].Headers["Content-Type"], StringComparison.Ordinal);

        var body = JsonNode.Parse(requests[^1].Body)!;
        Assert.Equal(WebhookPayload.EntryMatched, body["event"]!.GetValue<string>());
        Assert.Equal("乳腺钼靶 钙化灶", body["entry"]!["title"]!.GetValue<string>());
        Assert.Equal(entry.ResourceId, body["entry"]!["resourceId"]!.GetValue<Guid>());
        var notification = Assert.Single(await client.NotificationsAsync());
        Assert.Equal(notification!["id"]!.GetValue<Guid>(), body["notificationId"]!.GetValue<Guid>());

        // The subscription shows the outcome: delivered, after the failures it reports; the secret is never shown again.
        var webhook = JsonNode.Parse(await client.GetStringAsync("/subscriptions"))!["items"]![0]!["webhook"]!;
        Assert.NotNull(webhook["lastDeliveredAt"]);
        Assert.Contains("Attempt 2 of 3 failed: HTTP 503", webhook["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(webhook["secret"]);
        Assert.Equal(0, webhook["pending"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_after_the_last_attempt_with_the_error_on_the_subscription()
    {
        await using var receiver = await WebhookReceiver.StartAsync(503);
        using var client = _node.As("heidi", SecurityLevels.Public);
        await client.SubscribeAsync(new { name = "骨", query = new { text = "骨折" }, webhook = new { url = receiver.Url, secret = Secret } });

        await _node.PublishAndWaitAsync(_node.Published("腕关节 骨折"));
        await SubscriptionNode.WaitUntilAsync(async () =>
            JsonNode.Parse(await client.GetStringAsync("/subscriptions"))!["items"]![0]!["webhook"]!["abandoned"]!.GetValue<int>() == 1, "the delivery was abandoned");

        Assert.Equal(3, receiver.Requests.Count);
        var webhook = JsonNode.Parse(await client.GetStringAsync("/subscriptions"))!["items"]![0]!["webhook"]!;
        Assert.Equal("Gave up after 3 attempts: HTTP 503 Service Unavailable", webhook["lastError"]!.GetValue<string>());
        Assert.Null(webhook["lastDeliveredAt"]);
        // The notification itself stays listed: the webhook is an extra channel, not the record.
        Assert.Single(await client.NotificationsAsync());
    }

    [Fact]
    public async Task A_webhook_created_without_a_secret_gets_one_generated_and_signs_with_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync(200);
        using var client = _node.As("ivan", SecurityLevels.Public);
        var created = await client.SubscribeAsync(new { name = "肝", query = new { text = "肝脏" }, webhook = new { url = receiver.Url } });
        var secret = created["webhook"]!["secret"]!.GetValue<string>();
        Assert.True(secret.Length >= 40, secret);

        await _node.PublishAndWaitAsync(_node.Published("上腹部CT 肝脏占位"));
        await SubscriptionNode.WaitUntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), "the receiver got the delivery");
        var r = receiver.Requests.Single();
        Assert.True(WebhookSignature.Verify(secret, r.Headers[WebhookSignature.TimestampHeader], r.Headers[WebhookSignature.SignatureHeader], r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_retry_after_the_subscribers_clearance_was_lowered_is_not_sent()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(hold, 500, 200);
        using var cleared = _node.As("judy", SecurityLevels.Restricted);
        await cleared.SubscribeAsync(new { name = "脊柱", query = new { text = "脊柱" }, webhook = new { url = receiver.Url, secret = Secret } });

        await _node.PublishAndWaitAsync(_node.Published("脊柱MR 受限", SecurityLevels.Restricted));
        await receiver.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(90));
        // While the first attempt is in flight, the subscriber calls with a token whose clearance is now public.
        using var lowered = _node.As("judy", SecurityLevels.Public);
        Assert.Empty(await lowered.NotificationsAsync());
        hold.SetResult();

        await SubscriptionNode.WaitUntilAsync(async () =>
            JsonNode.Parse(await lowered.GetStringAsync("/subscriptions"))!["items"]![0]!["webhook"]!["abandoned"]!.GetValue<int>() == 1, "the delivery was withheld");
        Assert.Single(receiver.Requests);
        var webhook = JsonNode.Parse(await lowered.GetStringAsync("/subscriptions"))!["items"]![0]!["webhook"]!;
        Assert.StartsWith("Not sent: the entry is no longer visible", webhook["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_sent_for_a_subscriber_whose_scope_was_not_renewed_within_the_maximum_age()
    {
        await using var receiver = await WebhookReceiver.StartAsync(200);
        using var client = _node.As("kate", SecurityLevels.Public);
        var created = await client.SubscribeAsync(new { name = "甲状腺", query = new { text = "甲状腺" }, webhook = new { url = receiver.Url, secret = Secret } });
        // The subscriber last called eight days ago (MaxScopeAge is 7 days by default).
        await using (var scope = _node.Directory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
            var id = created["id"]!.GetValue<Guid>();
            await db.Database.ExecuteSqlAsync($"UPDATE directory.subscriptions SET scope_seen_at = now() - interval '8 days' WHERE id = {id}");
        }

        await _node.PublishAndWaitAsync(_node.Published("颈部超声 甲状腺结节"));
        await SubscriptionNode.WaitUntilAsync(async () =>
        {
            await using var scope = _node.Directory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<DirectoryDbContext>().WebhookDeliveries.AnyAsync(d => d.AbandonedAt != null);
        }, "the delivery was withheld");
        Assert.Empty(receiver.Requests);
        await using var read = _node.Directory.Services.CreateAsyncScope();
        var subscription = await read.ServiceProvider.GetRequiredService<DirectoryDbContext>().Subscriptions.AsNoTracking().SingleAsync();
        Assert.StartsWith("Not sent: the subscriber's scope was last confirmed", subscription.WebhookLastError, StringComparison.Ordinal);
    }
}
