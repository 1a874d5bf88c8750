using System.Net;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Platform.Tests;

/// <summary>
/// One paging shape everywhere, checked over every operation of every host's OpenAPI document: no list answers a bare
/// array, every paged answer is exactly <c>{ items, page, pageSize, total }</c> and is asked for with <c>page</c> and
/// <c>pageSize</c>, and a size or page out of range is a 400 naming the parameter and the range, never clamped. The
/// exceptions are the keyset lists (<c>after</c> + <c>limit</c>: the audit trail's, ADR 0023, and Registration's
/// published-entries feed, ADR 0024), whose limit is checked the same way against the maximum each names.
/// </summary>
public sealed class PagingTests : IAsyncLifetime
{
    private static readonly string[] PageFields = ["items", "page", "pageSize", "total"];
    private static readonly string[] OldParameters = ["take", "pageNumber", "limit", "offset"];

    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("zhengding");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string> Hosts => [.. OpenApiWalker.Hosts];

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task EveryListIsPagedOneWayAndRefusesSizesOutOfRange(string service)
    {
        await using var host = OpenApiWalker.Create(service, _node);
        using var client = host.CreateClient().WithToken(TestTokens.Create(_node, "pager", [.. Roles.All]));
        var (document, operations) = await OpenApiWalker.ReadAsync(client);
        var failures = new List<string>();

        foreach (var op in operations.Where(o => o.Method == "get"))
        {
            if (OpenApiWalker.Types(op.OkSchema).Contains("array")) failures.Add($"{op} answers a bare array");
            var names = op.Parameters.Where(p => OpenApiWalker.In(p) == "query").Select(OpenApiWalker.Name).ToHashSet(StringComparer.Ordinal);
            // The keyset lists (after + limit: the audit trail, ADR 0023; the published-entries feed, ADR 0024) check their limit instead.
            var keyset = names.Contains("after") && names.Contains("limit");
            foreach (var old in OldParameters.Where(names.Contains).Where(o => !(keyset && o == "limit"))) failures.Add($"{op} takes '{old}'");
            if (keyset)
            {
                // Each keyset list names its own maximum (the audit trail's 1000, Registration's published-entries feed
                // 2000): the refusal of 0 says it, and one more than it is refused too.
                var max = "1000";
                foreach (var value in new[] { "0", "" })
                {
                    var asked = value.Length > 0 ? value : (long.Parse(max, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    using var refused = await client.GetAsync(OpenApiWalker.Url(document, op, new Dictionary<string, string> { ["limit"] = asked }));
                    var body = await refused.Content.ReadAsStringAsync();
                    var error = refused.StatusCode == HttpStatusCode.BadRequest ? JsonNode.Parse(body)?["errors"]?["limit"]?[0]?.ToString() : null;
                    if (error is not null && System.Text.RegularExpressions.Regex.Match(error, @"between 1 and (\d+)") is { Success: true } range) max = range.Groups[1].Value;
                    if (error is null || !error.Contains(max, StringComparison.Ordinal))
                        failures.Add($"{op} limit={asked}: expected a 400 naming limit and its range, got {(int)refused.StatusCode} {body}");
                }
            }
            var paged = PagedSchema(document, op.OkSchema);
            if (paged != names.Contains("pageSize") || paged != names.Contains("page"))
                failures.Add($"{op}: response paged: {paged}, parameters: {string.Join(", ", names)}");
            if (!names.Contains("pageSize")) continue;

            foreach (var (name, value, range) in new[] { ("pageSize", "0", "500"), ("pageSize", "501", "500"), ("page", "0", "1") })
            {
                using var refused = await client.GetAsync(OpenApiWalker.Url(document, op, new Dictionary<string, string> { [name] = value }));
                var body = await refused.Content.ReadAsStringAsync();
                var error = refused.StatusCode == HttpStatusCode.BadRequest ? JsonNode.Parse(body)?["errors"]?[name]?[0]?.ToString() : null;
                if (error is null || !error.Contains(range, StringComparison.Ordinal))
                    failures.Add($"{op} {name}={value}: expected a 400 naming {name} and its range, got {(int)refused.StatusCode} {body}");
            }

            using var ok = await client.GetAsync(OpenApiWalker.Url(document, op, new Dictionary<string, string> { ["page"] = "1", ["pageSize"] = "2" }));
            if (ok.StatusCode == HttpStatusCode.NotFound) continue; // a sample id names nothing; the shape is checked on the schema above
            var page = FindPage(JsonNode.Parse(await ok.Content.ReadAsStringAsync()));
            if (ok.StatusCode != HttpStatusCode.OK || page is null)
                failures.Add($"{op}?page=1&pageSize=2: {(int)ok.StatusCode}, no {{ items, page, pageSize, total }} in the answer");
            else if ((int)page["page"]! != 1 || (int)page["pageSize"]! != 2 || page["items"]!.AsArray().Count > 2)
                failures.Add($"{op}?page=1&pageSize=2 answered {page.ToJsonString()[..Math.Min(200, page.ToJsonString().Length)]}");
        }
        Assert.True(failures.Count == 0, $"{service}:\n{string.Join("\n", failures)}");
    }

    // The answer is a page, or an object with a page among its properties (a batch with its items).
    private static bool PagedSchema(JsonObject document, JsonObject? schema)
    {
        if (IsPage(schema)) return true;
        return schema?["properties"]?.AsObject().Any(p => IsPage(OpenApiWalker.Resolve(document, p.Value))) ?? false;

        bool IsPage(JsonObject? s) => s?["properties"] is JsonObject props && props.Select(p => p.Key).Order().SequenceEqual(PageFields.Order());
    }

    private static JsonObject? FindPage(JsonNode? node)
    {
        if (node is not JsonObject o) return null;
        if (o.Select(p => p.Key).Order().SequenceEqual(PageFields.Order())) return o;
        return o.Select(p => FindPage(p.Value)).FirstOrDefault(p => p is not null);
    }
}
