using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Actions on one entry at the same time: one wins, the other gets the answer for the state the winner left (409), and
/// the Metadata service issues one identifier per entry, never a second serial for nothing.
/// </summary>
public sealed class ConcurrentActionTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private const int Entries = 10;

    private static Dictionary<string, string> Dataset(int n) => new()
    {
        ["resourceTitle"] = $"并发登记测试数据集 {n}",
        ["categoryCode"] = "2.2.1",
        ["keyword"] = "并发;登记",
        ["abstract"] = "用于并发登记测试的去标识化数据集。",
        ["dataFormat"] = "NIfTI;CSV",
        ["onlineResourceLink"] = $"https://data.example.cn/datasets/concurrency-{n}",
    };

    // Metadata answers late, so two actions on one entry surely overlap while the checks and the identifier run.
    private sealed class SlowMetadata(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(150, cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private static async Task<List<Guid>> CatalogueAsync(HttpClient cataloguer, int count)
    {
        var ids = new List<Guid>();
        for (var n = 0; n < count; n++)
        {
            var response = await cataloguer.PostAsJsonAsync("/resources", new { kind = "dataset", values = Dataset(n), institution = "121300004017055782" });
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, body);
            ids.Add(Guid.Parse(JsonNode.Parse(body)!["id"]!.ToString()));
        }
        return ids;
    }

    [Fact]
    public async Task TwoRegistersAtOnceRegisterOnceAndIssueOneIdentifier()
    {
        await using var host = node.WithMetadataHandler(() => new SlowMetadata(node.Metadata.Server.CreateHandler()));
        var cataloguer = host.CreateClient().WithToken(TestTokens.Create(node.Node, "cat-race", Roles.Cataloguer));
        var ids = await CatalogueAsync(cataloguer, Entries);
        var issuedBefore = await node.CountAsync("SELECT count(*) FROM metadata.resource_identifiers");

        var attempts = ids.SelectMany(id => Enumerable.Range(0, 2).Select(async _ =>
        {
            var response = await cataloguer.PostAsJsonAsync($"/resources/{id}/register", new { });
            return (Id: id, response.StatusCode, Body: JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        })).ToList();
        var results = await Task.WhenAll(attempts);

        foreach (var entry in results.GroupBy(r => r.Id))
        {
            var answers = string.Join(" | ", entry.Select(r => $"{(int)r.StatusCode} {r.Body.ToJsonString()}"));
            // Metadata records why it issued each identifier; the entry's id is in the reason Registration gives.
            Assert.True(1 == await node.CountAsync("SELECT count(*) FROM metadata.provenance WHERE action = 'issued' AND why = $1",
                $"registration of catalogue entry {entry.Key}"), $"{entry.Key}: not exactly one identifier issued; answers: {answers}");
            Assert.True(entry.Select(r => r.StatusCode).Order().SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]), $"{entry.Key}: {answers}");
            Assert.Equal("registered", entry.Single(r => r.StatusCode == HttpStatusCode.Conflict).Body["currentState"]?.ToString());
            var oid = entry.Single(r => r.StatusCode == HttpStatusCode.OK).Body["resourceIdentifier"]!.ToString();
            Assert.Equal(1, await node.CountAsync("SELECT count(*) FROM metadata.resource_identifiers WHERE oid = $1", oid));
            Assert.Equal(1, await node.CountAsync("SELECT count(*) FROM registration.resource_transitions WHERE resource_id = $1 AND action = 'Register'", entry.Key));
        }
        Assert.Equal(issuedBefore + Entries, await node.CountAsync("SELECT count(*) FROM metadata.resource_identifiers"));
    }

    [Fact]
    public async Task BulkApproveRacingSingleApprovesMovesEachEntryOnce()
    {
        await using var host = node.WithMetadataHandler(() => new SlowMetadata(node.Metadata.Server.CreateHandler()));
        var cataloguer = host.CreateClient().WithToken(TestTokens.Create(node.Node, "cat-bulk", Roles.Cataloguer));
        var reviewer = host.CreateClient().WithToken(TestTokens.Create(node.Node, "rev-bulk", Roles.Reviewer));
        var ids = await CatalogueAsync(cataloguer, 5);
        foreach (var id in ids)
            Assert.Equal(HttpStatusCode.OK, (await cataloguer.PostAsJsonAsync($"/resources/{id}/register", new { })).StatusCode);

        // Singles in reverse order against a bulk in id order: lock order, not request order, must decide who waits.
        var singles = ids.AsEnumerable().Reverse().Select(id => reviewer.PostAsJsonAsync($"/resources/{id}/approve", new { })).ToList();
        var bulk = reviewer.PostAsJsonAsync("/review-queue/approve", new { ids });
        await Task.WhenAll(singles.Append(bulk));

        var bulkResponse = await bulk;
        var outcomes = JsonNode.Parse(await bulkResponse.Content.ReadAsStringAsync())!;
        Assert.True(bulkResponse.StatusCode == HttpStatusCode.OK, outcomes.ToJsonString());
        var bulkApproved = outcomes.AsArray().Where(o => o!["outcome"]!.ToString() == "approved").Select(o => Guid.Parse(o!["id"]!.ToString())).ToHashSet();
        Assert.All(outcomes.AsArray(), o => Assert.True(o!["outcome"]!.ToString() is "approved" or "conflict", o.ToJsonString()));
        var singleResults = await Task.WhenAll(singles);
        Assert.All(singleResults, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)r.StatusCode}"));
        foreach (var id in ids)
        {
            var singleApproved = singleResults[ids.Count - 1 - ids.IndexOf(id)].StatusCode == HttpStatusCode.OK;
            Assert.True(singleApproved ^ bulkApproved.Contains(id), $"{id}: approved by single {singleApproved}, by bulk {bulkApproved.Contains(id)}");
            Assert.Equal(1, await node.CountAsync("SELECT count(*) FROM registration.resource_transitions WHERE resource_id = $1 AND action = 'Approve'", id));
        }
    }

    [Fact]
    public async Task ASaveOverAnEntryChangedSinceItWasReadFails()
    {
        var cataloguer = node.Client("cat-stale", Roles.Cataloguer);
        var id = (await CatalogueAsync(cataloguer, 1))[0];
        using var scope = node.Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var entry = await db.Resources.SingleAsync(r => r.Id == id);

        // A writer that does not go through EF (as ingest's SQL) changes the row after it was read.
        await node.CountAsync("WITH u AS (UPDATE registration.resources SET updated_at = now() WHERE id = $1 RETURNING 1) SELECT count(*) FROM u", id);
        entry.Transition(WorkflowAction.Register, "cat-stale", null);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
        Assert.Equal("Catalogued", (string?)await node.ScalarAsync("SELECT state FROM registration.resources WHERE id = $1", id));
    }
}
