using System.Net;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedImaging.Directory.Tests;

/// <summary>
/// The rebuild (ADR 0024) through the node's gateway: the read model, emptied or damaged, ends up holding exactly what
/// Registration has published — wrong values rewritten, lost rows restored, rows Registration no longer has published
/// removed — while entries replicated from other nodes are left alone; one run at a time; audited.
/// </summary>
[Collection(CatalogNodeGroup.Name)]
public sealed class RebuildTests(CatalogNode node)
{
    [Fact]
    public async Task A_rebuild_restores_exactly_the_published_entries_and_leaves_other_nodes_entries_alone()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var p1 = await node.PublishAsync($"重建 {run} 甲");
        var p2 = await node.PublishAsync($"重建 {run} 乙");
        var p3 = await node.PublishAsync($"重建 {run} 丙");
        await CatalogNode.StepAsync(p3, "withdraw", node.Registrar("publisher-1", Roles.Publisher), new { reason = "停止共享" });
        await node.WaitForSearchAsync(run, h => h.Total == 2, "the directory holds the two entries still published");
        // Two hits may also mean p3's publication has not arrived yet: wait for its withdrawal itself, or it lands after the damage below.
        for (var deadline = DateTime.UtcNow.AddSeconds(90); await node.CountAsync(
                 $"SELECT count(*) FROM directory.catalog_entries WHERE resource_id = '{p3}' AND state = 'Withdrawn'") == 0;)
        {
            Assert.True(DateTime.UtcNow < deadline, "p3's withdrawal never reached the directory");
            await Task.Delay(100);
        }

        // Damage: a wrong title written by SQL, a lost row, a lost withdrawal, an entry Registration never had; and an
        // entry another node published (replicated), which is not this node's to rebuild.
        await node.ExecuteAsync("UPDATE directory.catalog_entries SET title = $1 WHERE resource_id = $2", $"重建 {run} 错误标题", p1);
        await node.ExecuteAsync("DELETE FROM directory.catalog_entries WHERE resource_id = $1", p2);
        await node.ExecuteAsync("UPDATE directory.catalog_entries SET state = 'Published' WHERE resource_id = $1", p3);
        var phantom = Publication(node.NodeId, $"重建 {run} 幽灵");
        var replicated = Publication(CatalogNode.OtherNode, $"重建 {run} 他节点");
        await ApplyAsync(phantom, replicated);
        Assert.Equal(4, (await node.SearchAsync(run)).Total); // p1 (wrong title), p3, the phantom, the replicated one

        var status = await RebuildAsync();
        Assert.Equal("succeeded", status["state"]!.ToString());
        var published = await node.CountAsync("SELECT count(*) FROM registration.resources WHERE state = 'Published'");
        Assert.Equal(published, status["entriesWritten"]!.GetValue<long>());
        Assert.Equal(2, status["entriesRemoved"]!.GetValue<long>()); // p3 and the phantom
        Assert.Equal((int)Math.Max(1, Math.Ceiling(published / (double)CatalogNode.RebuildPageSize)), status["pages"]!.GetValue<int>());
        Assert.NotNull(status["finishedAt"]);

        var hits = await node.SearchAsync(run);
        Assert.Equal([$"重建 {run} 乙", $"重建 {run} 他节点", $"重建 {run} 甲"], hits.Items.Select(h => h.Entry.Title).Order(StringComparer.Ordinal));
        Assert.Equal(CatalogNode.OtherNode, hits.Items.Single(h => h.Entry.ResourceId == replicated.ResourceId).Entry.OriginNode);
        await AssertExactlyPublishedAsync();

        // Emptied: everything of this node comes back; the replicated entry is still there.
        await node.ExecuteAsync("DELETE FROM directory.catalog_entries WHERE origin_node = $1", node.NodeId);
        status = await RebuildAsync();
        Assert.Equal("succeeded", status["state"]!.ToString());
        Assert.Equal(0, status["entriesRemoved"]!.GetValue<long>());
        Assert.Equal(3, (await node.SearchAsync(run)).Total);
        await AssertExactlyPublishedAsync();

        // Both runs are in the audit trail: who started each, and how each ended.
        Assert.Equal(2, await node.CountAsync("""
            SELECT count(*) FROM directory.outbox_messages WHERE message_type = 'MedImaging.Contracts.Audit.AuditEventRecorded'
              AND body::jsonb->>'action' = 'directory-rebuild' AND body::jsonb->'details'->>'phase' = 'started' AND body::jsonb->'actor'->>'subjectId' = 'admin-1'
            """));
        Assert.Equal(2, await node.CountAsync("""
            SELECT count(*) FROM directory.outbox_messages WHERE message_type = 'MedImaging.Contracts.Audit.AuditEventRecorded'
              AND body::jsonb->>'action' = 'directory-rebuild' AND body::jsonb->'details'->>'phase' = 'finished' AND body::jsonb->'outcome'->>'result' = 'success'
              AND body::jsonb->'actor'->>'subjectId' = 'admin-1'
            """));
    }

    [Fact]
    public async Task A_second_rebuild_while_one_runs_is_refused_with_409()
    {
        // A run holds the node's rebuild lock for as long as it lasts (on any replica): hold it as a run would.
        await using var conn = new NpgsqlConnection(node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", conn) { Parameters = { new() { Value = CatalogLocks.Rebuild } } })
            await take.ExecuteNonQueryAsync();

        var response = await Admin().PostAsync("/api/directory/admin/rebuild", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var researcher = CatalogNode.Client(node.GatewayUrl, TestTokens.Create(node.Node, "researcher-1", Roles.Researcher));
        Assert.Equal(HttpStatusCode.Forbidden, (await researcher.PostAsync("/api/directory/admin/rebuild", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await researcher.GetAsync("/api/directory/admin/rebuild")).StatusCode);
    }

    private HttpClient Admin() => CatalogNode.Client(node.GatewayUrl, TestTokens.Create(node.Node, "admin-1", Roles.Admin));

    /// <summary>Starts a rebuild through the gateway and follows its status location until it ends.</summary>
    private async Task<JsonNode> RebuildAsync()
    {
        var admin = Admin();
        var started = await admin.PostAsync("/api/directory/admin/rebuild", null);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        Assert.Equal("/api/directory/admin/rebuild", started.Headers.Location?.OriginalString);
        var id = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!.ToString();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var status = JsonNode.Parse(await admin.GetStringAsync(started.Headers.Location))!;
            Assert.Equal(id, status["id"]!.ToString());
            if (status["state"]!.ToString() != "running") return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the rebuild still runs: {status.ToJsonString()}");
            await Task.Delay(250);
        }
    }

    // The node's own rows shown by the directory are exactly the entries Registration has published.
    private async Task AssertExactlyPublishedAsync() => Assert.Equal(0, await node.CountAsync("""
        SELECT count(*) FROM (
          (SELECT id FROM registration.resources WHERE state = 'Published'
           EXCEPT SELECT resource_id FROM directory.catalog_entries WHERE origin_node = $1 AND state = 'Published')
          UNION ALL
          (SELECT resource_id FROM directory.catalog_entries WHERE origin_node = $1 AND state = 'Published'
           EXCEPT SELECT id FROM registration.resources WHERE state = 'Published')) d
        """, node.NodeId));

    private static ResourcePublished Publication(string origin, string title) => new()
    {
        OriginNode = origin, ResourceId = Guid.CreateVersion7(), RecordVersion = 1, Actor = "publisher", Title = title, Format = "DICOM",
        SecurityClassification = SecurityLevels.Public, Institution = CatalogNode.InstitutionA, ClassificationCode = "2.2.1",
        OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-5),
    };

    // Written as a consumer would, through the read model's writer.
    private async Task ApplyAsync(params ResourcePublished[] facts)
    {
        await using var scope = node.Directory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<CatalogWriter>();
        foreach (var fact in facts) await writer.ApplyAsync(fact, CancellationToken.None);
        await db.SaveChangesAsync();
    }
}
