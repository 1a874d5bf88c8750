using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Directory.Tests.Subscriptions;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests.Evaluation;

/// <summary>资源评估 (§4.3.3): ratings and comments on the entries a caller may see; a hidden entry is a 404 on every operation.</summary>
public sealed class EvaluationTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;

    public async Task InitializeAsync() => _node = await DirectoryNode.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static string Entry(Contracts.Registration.ResourcePublished e) => $"/entries/{e.OriginNode}/{e.ResourceId}";

    [Fact]
    public async Task One_rating_per_user_changeable_and_the_average_with_count_in_the_entrys_statistics()
    {
        var entry = _node.Published("胸部CT 公开样例");
        await _node.ApplyAsync(entry);
        using var alice = _node.As("alice", SecurityLevels.Public);
        using var bob = _node.As("bob", SecurityLevels.Internal);

        using (var first = await alice.PutAsJsonAsync(Entry(entry) + "/rating", new { stars = 4 })) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var changed = await alice.PutAsJsonAsync(Entry(entry) + "/rating", new { stars = 2 }))
        {
            var view = JsonNode.Parse(await changed.Content.ReadAsStringAsync())!;
            Assert.Equal(2, view["stars"]!.GetValue<int>());
            Assert.Equal(1, view["entry"]!["count"]!.GetValue<int>());
        }
        using (var other = await bob.PutAsJsonAsync(Entry(entry) + "/rating", new { stars = 5 })) Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        var stats = JsonNode.Parse(await alice.GetStringAsync(Entry(entry) + "/statistics"))!;
        Assert.Equal(3.5, stats["rating"]!["average"]!.GetValue<double>());
        Assert.Equal(2, stats["rating"]!["count"]!.GetValue<int>());
        Assert.Equal(2, stats["yourRating"]!.GetValue<int>());
        // Anonymous callers see a public entry's statistics too (Discover), without a rating of their own.
        var anonymous = JsonNode.Parse(await _node.Directory.CreateClient().GetStringAsync(Entry(entry) + "/statistics"))!;
        Assert.Equal(2, anonymous["rating"]!["count"]!.GetValue<int>());
        Assert.Null(anonymous["yourRating"]);

        foreach (var stars in new[] { 0, 6 })
        {
            using var refused = await alice.PutAsJsonAsync(Entry(entry) + "/rating", new { stars });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.NotNull(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]!["stars"]);
        }
    }

    [Fact]
    public async Task Comments_are_listed_newest_first_limited_in_length_and_deleted_by_their_author_or_an_admin_only()
    {
        var entry = _node.Published("腹部MR 公开样例");
        await _node.ApplyAsync(entry);
        using var alice = _node.As("alice", SecurityLevels.Public);
        using var bob = _node.As("bob", SecurityLevels.Public);
        using var admin = _node.As("root", SecurityLevels.Public, null, Roles.Admin);

        var first = await PostAsync(alice, entry, "图像质量很好");
        var second = await PostAsync(bob, entry, "series 3 is missing, 请补充");
        var listed = JsonNode.Parse(await alice.GetStringAsync(Entry(entry) + "/comments"))!;
        Assert.Equal(2, listed["total"]!.GetValue<int>());
        Assert.Equal(["series 3 is missing, 请补充", "图像质量很好"], listed["items"]!.AsArray().Select(c => c!["text"]!.GetValue<string>()));
        Assert.Equal([false, true], listed["items"]!.AsArray().Select(c => c!["mine"]!.GetValue<bool>()));
        Assert.Equal("bob", listed["items"]![0]!["authorName"]!.GetValue<string>());

        using (var tooLong = await alice.PostAsJsonAsync(Entry(entry) + "/comments", new { text = new string('长', 2001) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            Assert.NotNull(JsonNode.Parse(await tooLong.Content.ReadAsStringAsync())!["errors"]!["text"]);
        }
        using (var empty = await alice.PostAsJsonAsync(Entry(entry) + "/comments", new { text = "  " })) Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        using (var notHers = await alice.DeleteAsync($"{Entry(entry)}/comments/{second}")) Assert.Equal(HttpStatusCode.Forbidden, notHers.StatusCode);
        using (var own = await alice.DeleteAsync($"{Entry(entry)}/comments/{first}")) Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        using (var byAdmin = await admin.DeleteAsync($"{Entry(entry)}/comments/{second}")) Assert.Equal(HttpStatusCode.NoContent, byAdmin.StatusCode);
        Assert.Equal(0, JsonNode.Parse(await alice.GetStringAsync(Entry(entry) + "/comments"))!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Every_evaluation_operation_on_an_entry_above_the_callers_clearance_or_of_another_institution_is_a_404()
    {
        var restricted = _node.Published("头颅MR 受限", SecurityLevels.Restricted);
        var otherHospital = _node.Published("他院 公开", SecurityLevels.Public, institution: "OTHER-HOSPITAL");
        await _node.ApplyAsync(restricted, otherHospital);
        using var cleared = _node.As("rita", SecurityLevels.Restricted);
        var comment = await PostAsync(cleared, restricted, "受限病例的评论");
        using (var rated = await cleared.PutAsJsonAsync(Entry(restricted) + "/rating", new { stars = 5 })) Assert.Equal(HttpStatusCode.OK, rated.StatusCode);

        using var publicCaller = _node.As("paul", SecurityLevels.Public);
        using var boundCaller = _node.As("hank", SecurityLevels.Confidential, _node.FirstInstitution);
        var missing = _node.Published("不存在");
        foreach (var (client, entry) in new[] { (publicCaller, restricted), (boundCaller, otherHospital), (publicCaller, missing) })
        {
            using var rate = await client.PutAsJsonAsync(Entry(entry) + "/rating", new { stars = 3 });
            using var post = await client.PostAsJsonAsync(Entry(entry) + "/comments", new { text = "x" });
            using var list = await client.GetAsync(Entry(entry) + "/comments");
            using var stats = await client.GetAsync(Entry(entry) + "/statistics");
            using var delete = await client.DeleteAsync($"{Entry(entry)}/comments/{comment}");
            Assert.Equal(
                [HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
                new[] { rate.StatusCode, post.StatusCode, list.StatusCode, stats.StatusCode, delete.StatusCode });
        }
        // Nothing the refused calls tried was stored.
        var seen = JsonNode.Parse(await cleared.GetStringAsync(Entry(restricted) + "/statistics"))!;
        Assert.Equal(1, seen["rating"]!["count"]!.GetValue<int>());
        Assert.Equal(1, seen["comments"]!.GetValue<int>());
    }

    private static async Task<Guid> PostAsync(HttpClient client, Contracts.Registration.ResourcePublished entry, string text)
    {
        using var response = await client.PostAsJsonAsync(Entry(entry) + "/comments", new { text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
    }
}
