using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests;

/// <summary>
/// Keyset pages (ADR 0025): every sort pages through all hits exactly once, also while entries are published between
/// pages; the cursor is opaque and refused when changed or used with another query.
/// </summary>
public sealed class KeysetPagingTests : IAsyncLifetime
{
    private const int Entries = 47;
    private DirectoryNode _node = null!;
    private readonly List<ResourcePublished> _published = [];

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        var t0 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Entries; i++)
        {
            // Repeated titles and publication times, and three score levels, so that ties must be broken by the key.
            var title = (i % 3) switch { 0 => $"结节随访 {i % 5}", 1 => $"胸部CT {i % 5}", _ => $"头颅MR {i % 5}" };
            _published.Add(_node.Published(title) with
            {
                Keywords = i % 3 == 1 ? ["结节"] : [], Abstract = i % 3 == 2 ? "偶见结节" : null, OccurredAt = t0.AddMinutes(i % 7),
            });
        }
        await _node.ApplyAsync([.. _published]);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("q=结节&sort=relevance")]
    [InlineData("q=结节&sort=relevance&order=asc")]
    [InlineData("q=结节&sort=date")]
    [InlineData("q=结节&sort=date&order=asc")]
    [InlineData("sort=title")]
    [InlineData("sort=title&order=desc")]
    [InlineData("sort=relevance")]
    public async Task Every_sort_pages_through_each_entry_exactly_once_while_entries_are_published(string query)
    {
        using var client = _node.Client(SecurityLevels.Internal);
        var seen = new List<Guid>();
        var order = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var answer = await client.GetFromJsonAsync<JsonElement>($"/search?{query}&limit=4{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            var items = answer.GetProperty("items").EnumerateArray().ToList();
            seen.AddRange(items.Select(i => i.GetProperty("resourceId").GetGuid()));
            order.AddRange(items);
            cursor = answer.GetProperty("nextCursor").GetString();
            // A new entry between pages: it may show on a later page or not, but nothing shows twice or goes missing.
            await _node.ApplyAsync(_node.Published($"结节新发布 {pages}") with { OccurredAt = DateTimeOffset.UtcNow });
            pages++;
        }
        while (cursor is not null && pages < 100);
        Assert.Null(cursor);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(_published.Select(p => p.ResourceId).ToHashSet(), seen.ToHashSet());
        Assert.True(pages >= Entries / 4, $"{pages} pages");
        AssertOrdered(order, query);
    }

    private static void AssertOrdered(List<JsonElement> items, string query)
    {
        var desc = !query.Contains("order=asc", StringComparison.Ordinal) && !query.StartsWith("sort=title", StringComparison.Ordinal) || query.Contains("order=desc", StringComparison.Ordinal);
        for (var i = 1; i < items.Count; i++)
        {
            var (a, b) = (items[i - 1], items[i]);
            var c = query switch
            {
                var q when q.StartsWith("q=", StringComparison.Ordinal) && q.Contains("relevance", StringComparison.Ordinal) => a.GetProperty("score").GetDouble().CompareTo(b.GetProperty("score").GetDouble()),
                var q when q.Contains("title", StringComparison.Ordinal) => string.CompareOrdinal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString()),
                _ => a.GetProperty("publishedAt").GetDateTimeOffset().CompareTo(b.GetProperty("publishedAt").GetDateTimeOffset()),
            };
            Assert.True(desc ? c >= 0 : c <= 0, $"{query}: item {i} out of order");
        }
    }

    [Fact]
    public async Task A_changed_cursor_or_a_cursor_of_another_query_is_a_400_naming_cursor()
    {
        using var client = _node.Client(SecurityLevels.Internal);
        var first = await client.GetFromJsonAsync<JsonElement>("/search?q=结节&limit=3");
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var changed = (cursor[5] == 'A' ? "B" : "A") is var c ? cursor[..5] + c + cursor[6..] : cursor;
        foreach (var url in new[] { $"/search?q=结节&limit=3&cursor={Uri.EscapeDataString(changed)}", $"/search?q=胸部&limit=3&cursor={Uri.EscapeDataString(cursor)}",
                     $"/search?q=结节&sort=date&limit=3&cursor={Uri.EscapeDataString(cursor)}" })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _), url);
        }
        // The unchanged cursor goes on, with another page size too.
        using var ok = await client.GetAsync($"/search?q=结节&limit=5&cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
