using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Audit;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>Keyset paging on the sequence: following <c>next</c> sees every row once, also while rows are being appended.</summary>
public sealed class AuditPagingTests(AuditApiFixture fx) : IClassFixture<AuditApiFixture>
{
    [Fact]
    public async Task FollowingNextSeesEveryRowOnceWhileTheTrailGrows()
    {
        var inserted = new List<long>();
        inserted.AddRange((await AuditRows.InsertAsync(fx.Node.PostgresConnectionString, [.. Enumerable.Range(0, 25).Select(i =>
            new Row { Action = AuditActions.EntryRead, OccurredAt = AuditRows.Base.AddMinutes(i), ActorId = "pager", ResourceId = $"page-{i}" })])).Select(r => r.Sequence));

        using var client = fx.Regulator();
        var seen = new List<long>();
        var url = $"/audit/events?{AuditRows.Window}&actor=pager&limit=7";
        var pages = 0;
        while (true)
        {
            var page = (await client.GetFromJsonAsync<JsonObject>(url))!;
            pages++;
            var items = page["items"]!.AsArray().Select(i => (long)i!["sequence"]!).ToList();
            Assert.Equal(7, (int)page["limit"]!);
            seen.AddRange(items);
            if (page["next"] is not JsonObject next) break;

            Assert.Equal(7, items.Count);
            Assert.Equal(items[^1], (long)next["after"]!);
            // New rows arrive between two pages: they land after everything read so far.
            inserted.AddRange((await AuditRows.InsertAsync(fx.Node.PostgresConnectionString, [.. Enumerable.Range(0, 3).Select(i =>
                new Row { Action = AuditActions.EntryPublish, OccurredAt = AuditRows.Base.AddDays(1).AddMinutes(pages * 10 + i), ActorId = "pager" })])).Select(r => r.Sequence));
            url = "/audit/events" + (string)next["link"]!;
            Assert.True(pages < 50, "paging does not end");
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());                 // no duplicates
        Assert.Equal(seen.Order(), seen);                                  // in trail order
        Assert.Equal(inserted.Order(), seen);                              // no omissions: every row of the window, old and new
        Assert.True(pages >= 5, $"only {pages} pages");
    }

    [Fact]
    public async Task TheNextLinkKeepsTheFilterAndTheLimit()
    {
        await AuditRows.InsertAsync(fx.Node.PostgresConnectionString, [.. Enumerable.Range(0, 5).Select(i =>
            new Row { Action = AuditActions.PhiRead, OccurredAt = AuditRows.Base.AddDays(2).AddMinutes(i), ActorId = "phi-reader" })]);
        using var client = fx.Regulator();
        var first = (await client.GetFromJsonAsync<JsonObject>($"/audit/events?{AuditRows.Window}&actor=phi-reader&action=phi-read&limit=2"))!;
        var link = (string)first["next"]!["link"]!;
        Assert.Contains("actor=phi-reader", link, StringComparison.Ordinal);
        Assert.Contains("action=phi-read", link, StringComparison.Ordinal);
        Assert.Contains("limit=2", link, StringComparison.Ordinal);
        Assert.Contains("from=2026-01-01T00%3A00%3A00.0000000%2B00%3A00", link, StringComparison.Ordinal);

        var second = (await client.GetFromJsonAsync<JsonObject>("/audit/events" + link))!;
        var third = (await client.GetFromJsonAsync<JsonObject>("/audit/events" + (string)second["next"]!["link"]!))!;
        Assert.Null(third["next"]);
        var all = new[] { first, second, third }.SelectMany(p => p["items"]!.AsArray()).ToList();
        Assert.Equal(5, all.Count);
        Assert.All(all, i => Assert.Equal("phi-reader", (string?)i!["actorId"]));
    }

    [Fact]
    public async Task AThousandRowsComeInOnePage()
    {
        await AuditRows.InsertAsync(fx.Node.PostgresConnectionString, [.. Enumerable.Range(0, 1001).Select(i =>
            new Row { Action = AuditActions.TokenIssued, OccurredAt = AuditRows.Base.AddDays(3), ActorId = "bulk-client" })]);
        using var client = fx.Regulator();
        var page = (await client.GetFromJsonAsync<JsonObject>($"/audit/events?{AuditRows.Window}&actor=bulk-client&limit=1000"))!;
        Assert.Equal(1000, page["items"]!.AsArray().Count);
        var rest = (await client.GetFromJsonAsync<JsonObject>("/audit/events" + (string)page["next"]!["link"]!))!;
        Assert.Single(rest["items"]!.AsArray());
        Assert.Null(rest["next"]);
    }
}
