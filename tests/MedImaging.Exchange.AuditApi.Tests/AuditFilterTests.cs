using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Audit;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>Each filter of GET /audit/events, alone and combined, against rows put into the trail directly.</summary>
public sealed class AuditFilterTests(AuditApiFixture fx) : IClassFixture<AuditApiFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset B = AuditRows.Base;
    private long[] _s = [];

    public async Task InitializeAsync()
    {
        var rows = await fx.SeedOnceAsync("filters",
            new Row { Action = AuditActions.SignIn, OccurredAt = B, Service = "gateway", ActorId = "u-reg-1", ActorName = "监管员乙", Roles = ["regulator"], ResourceKind = "user", ResourceId = "u-reg-1", ResourceIdentifier = "reg1", ResourceClassification = null },
            new Row { Action = AuditActions.SignIn, OccurredAt = B.AddHours(1), Service = "gateway", ActorId = "u-cat-2", Outcome = AuditOutcome.FailedCode, OutcomeReason = "wrong password", ResourceKind = null, ResourceId = null, ResourceIdentifier = null },
            new Row { Action = AuditActions.Forbidden, OccurredAt = B.AddHours(2), ActorId = "u-res-1", ActorName = "研究员丙", Roles = ["researcher"], ClientId = "research-portal", Outcome = AuditOutcome.DeniedCode, OutcomeReason = "policy review" },
            new Row { Action = AuditActions.EntryRead, OccurredAt = B.AddHours(3), ActorInstitution = "H001", ResourceInstitution = "H001" },
            new Row { Action = AuditActions.EntryPublish, OccurredAt = B.AddHours(4), ActorId = "u-pub-1", Roles = ["publisher"], ResourceId = "e-2", ResourceIdentifier = "1.2.156.13.1.2", ResourceInstitution = "H002" },
            new Row { Action = AuditActions.IngestBatch, OccurredAt = B.AddHours(5), ActorId = "dev-pacs-adapter", ActorName = null, Roles = ["adapter"], ClientId = "dev-pacs-adapter", ActorInstitution = "H002", ResourceKind = "acquisition-batch", ResourceId = "b-1", ResourceIdentifier = null },
            new Row { Action = AuditActions.EntryRead, OccurredAt = B.AddHours(6), ActorId = "peer-user", ActorNode = "shijiazhuang" },
            new Row { Action = AuditActions.EntryRead, OccurredAt = B.AddDays(-30) });
        _s = [.. rows.Select(r => r.Sequence)];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private long[] Rows(params int[] numbers) => [.. numbers.Select(n => _s[n - 1])];

    public static TheoryData<string, int[]> Filters => new()
    {
        { "", [1, 2, 3, 4, 5, 6, 7] },
        { "&from=2026-01-10T09:00:00Z&to=2026-01-10T11:00:00Z", [2, 3] },
        // Any offset names the same instant: 17:00 at +08:00 is 09:00 UTC.
        { "&from=2026-01-10T17:00:00%2B08:00&to=2026-01-10T19:00:00%2B08:00", [2, 3] },
        { "&actor=u-reg-1", [1] },
        { "&actor=" + Uri.EscapeDataString("监管员乙"), [1] },
        { "&role=researcher", [3] },
        { "&client=dev-pacs-adapter", [6] },
        { "&institution=H002", [5, 6] },
        { "&action=entry-read", [4, 7] },
        { "&action=entry-read,sign-in", [1, 2, 4, 7] },
        { "&action=entry-read&action=ingest-batch", [4, 6, 7] },
        { "&resource=e-2", [5] },
        { "&resource=1.2.156.13.1.1", [3, 4, 7] },
        { "&outcome=denied", [3] },
        { "&outcome=failed", [2] },
        { "&node=shijiazhuang", [7] },
        { "&action=entry-read&institution=H001", [4] },
        { "&role=cataloguer&outcome=success&action=entry-read", [4, 7] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task EachFilterReturnsExactlyTheMatchingEvents(string filter, int[] expected)
    {
        using var client = fx.Regulator();
        // A filter with its own time range replaces the test window.
        var window = filter.Contains("from=", StringComparison.Ordinal) ? "" : AuditRows.Window;
        var page = await client.GetFromJsonAsync<JsonObject>($"/audit/events?{window}{filter}");
        var got = page!["items"]!.AsArray().Select(i => (long)i!["sequence"]!).ToArray();
        Assert.Equal(Rows(expected), got);
        Assert.Null(page["next"]);
    }

    [Fact]
    public async Task AnEventCarriesEveryFieldOfItsRow()
    {
        using var client = fx.Regulator();
        var page = await client.GetFromJsonAsync<JsonObject>($"/audit/events?{AuditRows.Window}&role=researcher");
        var item = page!["items"]![0]!.AsObject();
        Assert.Equal("u-res-1", (string?)item["actorId"]);
        Assert.Equal("研究员丙", (string?)item["actorName"]);
        Assert.Equal(["researcher"], item["actorRoles"]!.AsArray().Select(r => (string?)r));
        Assert.Equal("research-portal", (string?)item["clientId"]);
        Assert.Equal("denied", (string?)item["outcome"]);
        Assert.Equal("policy review", (string?)item["outcomeReason"]);
        Assert.Equal("catalogue-entry", (string?)item["resourceKind"]);
        Assert.Equal(64, ((string?)item["hash"])!.Length);
        Assert.Equal(64, ((string?)item["previousHash"])!.Length);
        Assert.Equal(B.AddHours(2), DateTimeOffset.Parse((string)item["occurredAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "action=entry-delete", "action" },
        { "action=sign-in,bogus", "action" },
        { "outcome=maybe", "outcome" },
        { "limit=0", "limit" },
        { "limit=1001", "limit" },
        { "after=-1", "after" },
        { "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to" },
        { "from=yesterday", "from" },
        { "after=abc", "after" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task AFilterThatCannotMatchIsA400NamingTheParameter(string query, string parameter)
    {
        using var client = fx.Regulator();
        using var response = await client.GetAsync($"/audit/events?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        var problem = JsonNode.Parse(body)!.AsObject();
        // Binding failures name the parameter as the framework spells it (From, After); checks of ours as the query does.
        var named = problem["errors"]!.AsObject().Any(e => e.Key.Equals(parameter, StringComparison.OrdinalIgnoreCase))
                    || string.Equals((string?)problem["parameter"], parameter, StringComparison.OrdinalIgnoreCase);
        Assert.True(named, body);
    }

    [Fact]
    public async Task AnUnknownActionIsNamedInTheProblem()
    {
        using var client = fx.Regulator();
        using var response = await client.GetAsync("/audit/events?action=entry-delete");
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["action"]![0]!.ToString();
        Assert.Contains("'entry-delete'", error, StringComparison.Ordinal);
        Assert.Contains(AuditActions.EntryRead, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachQueryIsItselfAuditedWithItsFilter()
    {
        using var client = fx.As("regulator-audited", Roles.Regulator);
        using var response = await client.GetAsync($"/audit/events?{AuditRows.Window}&role=researcher&action=access-forbidden&limit=5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var recorded = (await fx.AuditEventsInOutboxAsync(AuditActions.AuditQuery))
            .Where(e => (string?)e["actor"]?["subjectId"] == "regulator-audited").ToList();
        var evt = Assert.Single(recorded);
        Assert.Equal("exchange", (string?)evt["service"]);
        Assert.Equal("audit-trail", (string?)evt["resource"]?["kind"]);
        Assert.Equal("success", (string?)evt["outcome"]?["result"]);
        var details = evt["details"]!.AsObject();
        Assert.Equal("researcher", (string?)details["role"]);
        Assert.Equal(AuditActions.Forbidden, (string?)details["action"]);
        Assert.Equal("2026-01-01T00:00:00.0000000+00:00", (string?)details["from"]);
        Assert.Equal("5", (string?)details["limit"]);
        Assert.Equal("1", (string?)details["returned"]);
    }
}
