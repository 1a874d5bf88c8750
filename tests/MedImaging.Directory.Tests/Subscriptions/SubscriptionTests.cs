using System.Net;
using System.Net.Http.Json;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests.Subscriptions;

/// <summary>订阅 / 退订 (§4.3.3): a saved query is told of each newly published entry that matches it, in the subscriber's scope.</summary>
public sealed class SubscriptionTests : IAsyncLifetime
{
    private static readonly string[] Ct = ["CT"];
    private static readonly string[] Secret = ["secret"];
    private static readonly string[] BadFields = ["name", "query.securityClassifications", "webhook.secret", "webhook.url"];
    private DirectoryNode _node = null!;

    public async Task InitializeAsync() => _node = await DirectoryNode.CreateAsync(SubscriptionNode.FastWebhooks);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_matching_publication_is_notified_once_and_non_matching_or_above_clearance_ones_are_not()
    {
        using var client = _node.As("alice", SecurityLevels.Internal);
        var subscription = await client.SubscribeAsync(new { name = "肺结节 CT", query = new { text = "结节", modalities = Ct } });
        Assert.Equal(SecurityLevels.Internal, subscription["scope"]!["clearance"]!.GetValue<string>());

        var match = _node.Published("胸部CT 肺结节随访", SecurityLevels.Internal);
        var otherWords = _node.Published("胸部CT 肋骨骨折");
        var otherModality = _node.Published("肺结节 MR") with { Modalities = ["MR"] };
        var aboveClearance = _node.Published("肺结节 受限病例", SecurityLevels.Restricted);
        // The same fact again (a redelivery with a new message id, or a replica): still one notification.
        await _node.PublishAndWaitAsync(match, otherWords, otherModality, aboveClearance, match);

        var items = await client.NotificationsAsync();
        var only = Assert.Single(items);
        Assert.Equal(match.ResourceId, only!["entry"]!["resourceId"]!.GetValue<Guid>());
        Assert.Equal("胸部CT 肺结节随访", only["entry"]!["title"]!.GetValue<string>());
        Assert.Equal("肺结节 CT", only["subscriptionName"]!.GetValue<string>());
        Assert.Null(only["readAt"]);

        // Read: gone from the unread list, still in the full one.
        using (var read = await client.PostAsync($"/notifications/{only["id"]}/read", null)) Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        Assert.Empty(await client.NotificationsAsync("?unread=true"));
        Assert.Single(await client.NotificationsAsync("?unread=false"));

        // Another subscriber neither sees nor marks it.
        using var bob = _node.As("bob", SecurityLevels.Confidential);
        Assert.Empty(await bob.NotificationsAsync());
        using (var foreign = await bob.PostAsync($"/notifications/{only["id"]}/read", null)) Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task After_unsubscribing_a_matching_publication_is_not_notified()
    {
        using var client = _node.As("carol", SecurityLevels.Public);
        var kept = await client.SubscribeAsync(new { name = "kept", query = new { text = "乳腺" } });
        var dropped = await client.SubscribeAsync(new { name = "dropped", query = new { text = "乳腺" } });
        using (var delete = await client.DeleteAsync($"/subscriptions/{dropped["id"]}")) Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using (var again = await client.DeleteAsync($"/subscriptions/{dropped["id"]}")) Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

        await _node.PublishAndWaitAsync(_node.Published("乳腺钼靶筛查"));

        var items = await client.NotificationsAsync();
        Assert.Equal(["kept"], items.Select(n => n!["subscriptionName"]!.GetValue<string>()));
        var listed = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/subscriptions"))!["items"]!.AsArray();
        Assert.Equal([kept["id"]!.GetValue<Guid>()], listed.Select(s => s!["id"]!.GetValue<Guid>()));
    }

    [Fact]
    public async Task A_lowered_clearance_narrows_matching_from_the_next_call_and_hides_earlier_notifications()
    {
        using var cleared = _node.As("dave", SecurityLevels.Restricted);
        await cleared.SubscribeAsync(new { name = "脑", query = new { text = "脑" } });
        var restricted = _node.Published("头颅MR 脑梗死", SecurityLevels.Restricted);
        await _node.PublishAndWaitAsync(restricted);
        Assert.Single(await cleared.NotificationsAsync());

        // The same user, whose token now says public: the call stores the lower scope with the subscription.
        using var lowered = _node.As("dave", SecurityLevels.Public);
        Assert.Empty(await lowered.NotificationsAsync());
        var subscriptions = System.Text.Json.Nodes.JsonNode.Parse(await lowered.GetStringAsync("/subscriptions"))!["items"]!.AsArray();
        Assert.Equal(SecurityLevels.Public, subscriptions.Single()!["scope"]!["clearance"]!.GetValue<string>());

        var internalEntry = _node.Published("头颅CT 脑出血", SecurityLevels.Internal);
        var publicEntry = _node.Published("头颅CT 脑萎缩 公开", SecurityLevels.Public);
        await _node.PublishAndWaitAsync(internalEntry, publicEntry);
        // Matched in the public scope: the internal entry earned no notification, even for a reader with clearance again.
        var items = await cleared.NotificationsAsync();
        Assert.Equal(
            new[] { publicEntry.ResourceId, restricted.ResourceId }.Order(),
            items.Select(n => n!["entry"]!["resourceId"]!.GetValue<Guid>()).Order());
    }

    [Fact]
    public async Task An_institution_bound_subscriber_is_told_of_its_own_institutions_entries_only()
    {
        using var client = _node.As("erin", SecurityLevels.Confidential, _node.FirstInstitution);
        await client.SubscribeAsync(new { name = "all CT", query = new { modalities = Ct } });
        var own = _node.Published("本院 CT");
        var other = _node.Published("他院 CT", institution: "OTHER-HOSPITAL");
        await _node.PublishAndWaitAsync(own, other);
        Assert.Equal([own.ResourceId], (await client.NotificationsAsync()).Select(n => n!["entry"]!["resourceId"]!.GetValue<Guid>()));
    }

    [Fact]
    public async Task A_subscription_with_bad_fields_is_refused_naming_them()
    {
        using var client = _node.As("frank", SecurityLevels.Public);
        using var response = await client.PostAsJsonAsync("/subscriptions", new
        {
            name = "",
            query = new { securityClassifications = Secret },
            webhook = new { url = "ftp://127.0.0.1/x", secret = "short" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(BadFields, errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        // A host the operator has not allowed: the directory does not call into networks it was not told to (SSRF).
        using var elsewhere = await client.PostAsJsonAsync("/subscriptions", new { name = "x", query = new { text = "x" }, webhook = new { url = "http://10.0.0.5:15672/api/users" } });
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Contains("10.0.0.5", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Anonymous callers cannot subscribe.
        using var anonymous = _node.Directory.CreateClient();
        using var refused = await anonymous.PostAsJsonAsync("/subscriptions", new { name = "x", query = new { text = "x" } });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
