using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Dicom;
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

    // Metadata held until released, so the test decides when the action in flight may finish.
    private sealed class GatedMetadata(HttpMessageHandler inner, TaskCompletionSource gate, TaskCompletionSource asked) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            asked.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task IngestIntoAStudyIsNotHeldByAWorkflowActionOnItsEntry()
    {
        // One group-commit writer stores every hospital's instances: if it waited for the entry a cataloguer is acting
        // on (whose Metadata calls may take seconds), all ingest of the node would stall with it.
        var adapter = node.Client("pacs-a", Roles.Adapter);
        Assert.Equal(HttpStatusCode.OK, (await adapter.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("CT_small.dcm")))).StatusCode);
        var study = (string)(await node.ScalarAsync("SELECT study_instance_uid FROM registration.studies ORDER BY first_received_at DESC LIMIT 1"))!;
        var entry = (Guid)(await node.ScalarAsync("SELECT r.id FROM registration.resources r JOIN registration.studies s ON s.id = r.study_id WHERE s.study_instance_uid = $1", study))!;

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = node.WithMetadataHandler(() => new GatedMetadata(node.Metadata.Server.CreateHandler(), gate, asked));
        var cataloguer = host.CreateClient().WithToken(TestTokens.Create(node.Node, "cat-slow", Roles.Cataloguer));
        var action = cataloguer.PostAsJsonAsync($"/resources/{entry}/catalogue", new { values = new Dictionary<string, string> { ["keyword"] = "CT;测试" } });
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // A second instance of the same study while the action waits for Metadata with its entry locked.
        var file = DicomFile.Open(Corpus.Path("CT_small.dcm"));
        file.Dataset.Add(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.8.498.77001");
        using var second = new MemoryStream();
        DicomWriter.Write(file, second);
        var stow = adapter.PostAsync("/dicomweb/studies", Stow.Content(second.ToArray()));
        var finished = await Task.WhenAny(stow, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.True(finished == stow, "ingest waited for the cataloguer's action on the study's entry");
        Assert.Equal(HttpStatusCode.OK, (await stow).StatusCode);
        Assert.False(action.IsCompleted);
        Assert.Equal(2, await node.CountAsync("SELECT instance_count FROM registration.studies WHERE study_instance_uid = $1", study));

        // The action then finds the entry changed under it and says so rather than overwriting the new counts.
        gate.SetResult();
        var response = await action;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, body);
        Assert.Contains("changed meanwhile", body, StringComparison.Ordinal);
        Assert.Equal("2", (string?)await node.ScalarAsync("SELECT v->>'value' FROM registration.resources r, jsonb_array_elements(r.values) v WHERE r.id = $1 AND v->>'element' = 'numberOfInstances'", entry));
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
