using MedImaging.Contracts.Audit;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Search;
using MedImaging.Directory.Tests.Subscriptions;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests.Statistics;

/// <summary>
/// 主题统计 and 共享监测 (§4.8.3, §4.8.6 f–g): every count matches the entries the caller may see, and no value above its
/// clearance or outside its institution appears, in JSON or in CSV.
/// </summary>
public sealed class StatisticsTests : IAsyncLifetime
{
    private const string RestrictedOnly = "RESTRICTED-ONLY-HOSP";
    private DirectoryNode _node = null!;
    private ResourcePublished[] _entries = [];

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        var a = _node.FirstInstitution;
        _entries =
        [
            _node.Published("胸部CT 公开", SecurityLevels.Public, a) with { InstitutionName = "正定县人民医院, 放射科", OccurredAt = At(2026, 1, 15) },
            _node.Published("头颅MR 内部", SecurityLevels.Internal, a) with { Modalities = ["MR"], ClassificationCode = "3.1.1", OccurredAt = At(2026, 2, 10) },
            _node.Published("胸部CT 受限", SecurityLevels.Restricted, RestrictedOnly) with { InstitutionName = "受限专科医院", OccurredAt = At(2026, 2, 20) },
            _node.Published("=HYPERLINK(\"x\") 超声", SecurityLevels.Public, "OTHER-HOSPITAL") with { Modalities = ["US", "CT"], ClassificationCode = "4.1", OccurredAt = At(2026, 3, 1) },
        ];
        await _node.ApplyAsync([.. _entries]);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static DateTimeOffset At(int y, int m, int d) => new(y, m, d, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] DimensionNames = ["classification", "category", "modality", "institution", "node", "month", "securityClassification"];

    public static TheoryData<string> Dimensions => [.. DimensionNames];

    private static IEnumerable<string> Values(ResourcePublished e, string by) => by switch
    {
        "classification" => [e.ClassificationCode!],
        "category" => [e.ClassificationCode!.Split('.')[0]],
        "modality" => e.Modalities,
        "institution" => [e.Institution!],
        "node" => [e.OriginNode],
        "month" => [e.OccurredAt.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)],
        _ => [e.SecurityClassification!],
    };

    [Theory]
    [MemberData(nameof(Dimensions))]
    public async Task Catalogue_counts_per_dimension_match_the_entries_each_caller_may_see(string by)
    {
        foreach (var scope in new[]
                 {
                     new CallerScope(SecurityLevels.Public, null, null), new CallerScope(SecurityLevels.Internal, null, _node.FirstInstitution),
                     new CallerScope(SecurityLevels.Confidential, null, null),
                 })
        {
            using var client = _node.As("stat", scope.Clearance, scope.Institution);
            var visible = _entries.Where(e => scope.MaySee(e.SecurityClassification, e.Institution)).ToList();
            var expected = visible.SelectMany(e => Values(e, by)).GroupBy(v => v).ToDictionary(g => g.Key, g => (long)g.Count());

            var body = JsonNode.Parse(await client.GetStringAsync($"/statistics/catalogue?by={by}"))!;
            Assert.Equal(visible.Count, body["entries"]!.GetValue<long>());
            var values = body["values"]!["items"]!.AsArray().ToDictionary(v => v!["value"]!.GetValue<string>(), v => v!["count"]!.GetValue<long>());
            Assert.Equal(expected.OrderBy(p => p.Key), values.OrderBy(p => p.Key));

            var csv = await PythonCsv.ReadAsync(await client.GetByteArrayAsync($"/statistics/catalogue?by={by}&format=csv"));
            Assert.Equal([by, "label", "count"], csv[0]);
            Assert.Equal(expected.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"),
                csv.Skip(1).Select(r => $"{r[0]}={r[2]}").Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_public_caller_never_sees_a_restricted_only_institution_or_classification_in_any_dimension()
    {
        using var client = _node.As("public-user", SecurityLevels.Public);
        using var anonymous = _node.Directory.CreateClient();
        foreach (var by in DimensionNames)
        {
            foreach (var c in new[] { client, anonymous })
            {
                var json = await c.GetStringAsync($"/statistics/catalogue?by={by}");
                var csv = System.Text.Encoding.UTF8.GetString(await c.GetByteArrayAsync($"/statistics/catalogue?by={by}&format=csv"));
                foreach (var text in new[] { json, csv })
                {
                    Assert.DoesNotContain(RestrictedOnly, text, StringComparison.Ordinal);
                    Assert.DoesNotContain("受限", text, StringComparison.Ordinal);
                    Assert.DoesNotContain(SecurityLevels.Restricted, text, StringComparison.Ordinal);
                    Assert.DoesNotContain(SecurityLevels.Internal, text, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task The_csv_is_utf8_with_a_byte_order_mark_quotes_what_needs_it_and_is_also_given_for_accept_text_csv()
    {
        using var client = _node.As("csv", SecurityLevels.Public);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/statistics/catalogue?by=institution");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await client.SendAsync(request);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = await PythonCsv.ReadAsync(bytes);
        Assert.Equal(["institution", "label", "count"], rows[0]);
        Assert.Contains([_node.FirstInstitution, "正定县人民医院, 放射科", "1"], rows);
        Assert.Contains(["OTHER-HOSPITAL", "", "1"], rows);
        // A CSV is an export: audited with its table, rows and the caller's clearance; the JSON the portal pages is not.
        var exports = (await _node.AuditEventsAsync(AuditActions.CatalogueExport)).Where(e => e["resource"]!["kind"]!.GetValue<string>() == "statistics").ToList();
        var export = Assert.Single(exports, e => e["details"]!["query"]!.GetValue<string>() == "?by=institution");
        Assert.Equal(("catalogue-institution", "csv", (rows.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), SecurityLevels.Public),
            (export["resource"]!["id"]!.GetValue<string>(), export["details"]!["format"]!.GetValue<string>(), export["details"]!["rows"]!.GetValue<string>(),
                export["details"]!["scope"]!.GetValue<string>()));
        var before = exports.Count;
        (await client.GetAsync("/statistics/catalogue?by=institution")).EnsureSuccessStatusCode();
        Assert.Equal(before, (await _node.AuditEventsAsync(AuditActions.CatalogueExport)).Count(e => e["resource"]!["kind"]!.GetValue<string>() == "statistics"));

        using var bad = await client.GetAsync("/statistics/catalogue?by=colour");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull(JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!["by"]);
    }

    [Fact]
    public async Task Usage_lists_views_hits_and_downloads_of_visible_entries_only_and_needs_a_publisher()
    {
        var (publicCt, restricted, other) = (_entries[0], _entries[2], _entries[3]);
        await using (var scope = _node.Directory.Services.CreateAsyncScope())
        {
            var usage = scope.ServiceProvider.GetRequiredService<ICatalogUsage>();
            var hospital = new CallerScope(SecurityLevels.Restricted, _node.NodeId, RestrictedOnly);
            var researcher = new CallerScope(SecurityLevels.Internal, _node.NodeId, _node.FirstInstitution);
            await usage.RecordAsync(UsageKind.View, [Key(publicCt)], researcher, CancellationToken.None);
            await usage.RecordAsync(UsageKind.View, [Key(publicCt)], researcher, CancellationToken.None);
            await usage.RecordAsync(UsageKind.SearchHit, [Key(publicCt), Key(restricted), Key(other)], hospital, CancellationToken.None);
            await usage.RecordAsync(UsageKind.View, [Key(restricted)], hospital, CancellationToken.None);
            await usage.RecordAsync(UsageKind.Download, [Key(other)], new CallerScope(SecurityLevels.Public, null, null), CancellationToken.None);
        }

        using var publisher = _node.As("pub", SecurityLevels.Public, null, Roles.Publisher);
        var byResource = JsonNode.Parse(await publisher.GetStringAsync("/statistics/usage?by=resource"))!["rows"]!;
        Assert.Equal(2, byResource["total"]!.GetValue<int>());
        var rows = byResource["items"]!.AsArray().ToDictionary(r => r!["resourceId"]!.GetValue<Guid>());
        Assert.Equal((2, 1, 0, 0, 3), Counts(rows[publicCt.ResourceId]!));
        Assert.Equal((0, 1, 0, 1, 2), Counts(rows[other.ResourceId]!));
        Assert.False(rows.ContainsKey(restricted.ResourceId));

        // By the caller's institution: the restricted entry's view and hit are not added in.
        var byInstitution = JsonNode.Parse(await publisher.GetStringAsync("/statistics/usage?by=institution"))!["rows"]!["items"]!.AsArray()
            .ToDictionary(r => r!["institution"]!.GetValue<string>(), r => r!["total"]!.GetValue<long>());
        Assert.Equal(new Dictionary<string, long> { [_node.FirstInstitution] = 2, [RestrictedOnly] = 2, [""] = 1 }.OrderBy(p => p.Key), byInstitution.OrderBy(p => p.Key));

        // Only the kinds asked for; a day range after today is empty.
        var views = JsonNode.Parse(await publisher.GetStringAsync("/statistics/usage?by=resource&kind=view"))!["rows"]!["items"]!.AsArray();
        Assert.Equal([publicCt.ResourceId], views.Select(r => r!["resourceId"]!.GetValue<Guid>()));
        Assert.Equal(["view"], views[0]!["counts"]!.AsObject().Select(p => p.Key));
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, JsonNode.Parse(await publisher.GetStringAsync($"/statistics/usage?from={tomorrow}"))!["rows"]!["total"]!.GetValue<int>());

        var csv = await PythonCsv.ReadAsync(await publisher.GetByteArrayAsync("/statistics/usage?by=resource&kind=view,searchHit,download&format=csv"));
        Assert.Equal(["origin_node", "resource_id", "resource_identifier", "title", "view", "searchHit", "download", "total"], csv[0]);
        Assert.Contains([publicCt.OriginNode, publicCt.ResourceId.ToString(), "", "胸部CT 公开", "2", "1", "0", "3"], csv);
        // A title a spreadsheet would run as a formula is defused.
        Assert.Contains(csv, r => r[3] == "'=HYPERLINK(\"x\") 超声");
        Assert.Equal(3, csv.Count);

        using var researcherClient = _node.As("res", SecurityLevels.Confidential);
        using var refused = await researcherClient.GetAsync("/statistics/usage");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var badKind = await publisher.GetAsync("/statistics/usage?kind=like");
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
    }

    private static EntryKey Key(ResourcePublished e) => new(e.OriginNode, e.ResourceId);

    private static (long, long, long, long, long) Counts(JsonNode row) => (
        row["counts"]!["view"]!.GetValue<long>(), row["counts"]!["searchHit"]!.GetValue<long>(), row["counts"]!["request"]!.GetValue<long>(),
        row["counts"]!["download"]!.GetValue<long>(), row["total"]!.GetValue<long>());
}
