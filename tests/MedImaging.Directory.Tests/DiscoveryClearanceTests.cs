using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Audit;
using MedImaging.Contracts.Registration;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests;

/// <summary>
/// Clearance on the discovery paths: counts, result sets, retrievals and record fetches hold only entries at or below the
/// caller's clearance and of its institution (re-checked at retrieval against the caller's current token); a hidden
/// record is the same 404 as a missing one. Served records count as views; reads of restricted-or-above entries and full
/// retrievals (exports) are audited.
/// </summary>
public sealed class DiscoveryClearanceTests : IAsyncLifetime
{
    private const string OidBase = "2.16.156.10011.2.9.130000.2.2.1.";
    private const string OtherInstitution = "12130000MB0000000X";
    private DirectoryNode _node = null!;
    private readonly Dictionary<string, ResourcePublished> _entries = [];

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        var n = 8000;
        foreach (var level in SecurityLevels.All)
            _entries[level] = _node.Published($"纵隔肿物 {level}", level) with { ResourceIdentifier = OidBase + n++ };
        _entries["other"] = _node.Published("纵隔肿物 他院", SecurityLevels.Public, OtherInstitution) with { ResourceIdentifier = OidBase + n };
        await _node.ApplyAsync([.. _entries.Values]);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData(null, null, new[] { "public", "other" })]
    [InlineData(SecurityLevels.Public, null, new[] { "public", "other" })]
    [InlineData(SecurityLevels.Internal, "first", new[] { "public", "internal" })]
    [InlineData(SecurityLevels.Restricted, "first", new[] { "public", "internal", "restricted" })]
    [InlineData(SecurityLevels.Confidential, null, new[] { "public", "internal", "restricted", "confidential", "other" })]
    public async Task Counts_result_sets_and_record_fetches_hold_nothing_above_the_callers_clearance_or_of_another_institution(
        string? clearance, string? institution, string[] visible)
    {
        var client = clearance is null ? _node.Anonymous() : _node.Client(clearance, institution is null ? null : _node.FirstInstitution);
        var session = await client.OpenSessionAsync();
        var created = await client.SearchAsync(session, new { text = "纵隔肿物" });
        Assert.Equal(visible.Length, created["hits"]!.GetValue<long>());

        foreach (var set in new[] { "brief", "summary", "full" })
        {
            var records = (await client.RetrieveAsync(session, created["resultSetId"].Str(), elementSet: set)).Records().ToList();
            Assert.Equal(visible.Order(), records.Select(r => Name(r["resourceId"]!.GetValue<Guid>())).Order());
        }

        // Hidden records answer exactly what a missing one answers.
        var missing = await client.GetAsync($"/records/{OidBase}8999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var missingProblem = Problem(await missing.Content.ReadFromJsonAsync<JsonObject>(), $"{OidBase}8999");
        foreach (var (name, p) in _entries)
        {
            var byOid = await client.GetAsync($"/records/{p.ResourceIdentifier}");
            var byKey = await client.GetAsync($"/records/{p.OriginNode}/{p.ResourceId}?elementSet=brief");
            if (visible.Contains(name))
            {
                Assert.Equal(HttpStatusCode.OK, byOid.StatusCode);
                Assert.Equal(HttpStatusCode.OK, byKey.StatusCode);
                continue;
            }
            Assert.Equal(HttpStatusCode.NotFound, byOid.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, byKey.StatusCode);
            Assert.Equal(missingProblem, Problem(await byOid.Content.ReadFromJsonAsync<JsonObject>(), p.ResourceIdentifier!));
        }
    }

    [Fact]
    public async Task A_result_set_is_rechecked_against_the_callers_current_token_at_retrieval()
    {
        // The same subject, first with clearance confidential, then with a token of clearance internal.
        var high = _node.Client(SecurityLevels.Confidential);
        var session = await high.OpenSessionAsync();
        var rs = (await high.SearchAsync(session, new { text = "纵隔肿物", sort = "title", order = "asc" }))["resultSetId"].Str();
        Assert.Equal(5, (await high.RetrieveAsync(session, rs)).Records().Count(r => r["status"].Str() == "available"));

        var lowered = _node.Client(SecurityLevels.Internal);
        var records = (await lowered.RetrieveAsync(session, rs, elementSet: "full")).Records().ToList();
        Assert.Equal(5, records.Count);
        Assert.Equal(["internal", "other", "public"], records.Where(r => r["status"].Str() == "available").Select(r => Name(r["resourceId"]!.GetValue<Guid>())).Order());
        Assert.All(records.Where(r => r["status"].Str() == "withdrawn"), r => Assert.Null(r["title"]));
    }

    [Fact]
    public async Task Restricted_reads_are_audited_a_hidden_fetch_is_audited_as_denied_a_full_retrieval_is_an_export_and_each_record_served_is_a_view()
    {
        var reader = _node.Client(SecurityLevels.Confidential);
        (await reader.GetAsync($"/records/{_entries[SecurityLevels.Restricted].ResourceIdentifier}")).EnsureSuccessStatusCode();
        (await reader.GetAsync($"/records/{_entries[SecurityLevels.Public].ResourceIdentifier}")).EnsureSuccessStatusCode();
        var reads = await _node.AuditEventsAsync(AuditActions.EntryRead);
        var read = Assert.Single(reads);
        Assert.Equal((_entries[SecurityLevels.Restricted].ResourceId.ToString(), "restricted", "success", "record"),
            (read["resource"]!["id"].Str(), read["resource"]!["classification"].Str(), read["outcome"]!["result"].Str(), read["details"]!["view"].Str()));
        Assert.Equal("tester", read["actor"]!["subjectId"].Str());

        // An internal caller asks for the confidential entry: a plain 404 for it, a denied read for the regulator.
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Client(SecurityLevels.Internal).GetAsync($"/records/{_entries[SecurityLevels.Confidential].ResourceIdentifier}")).StatusCode);
        var denied = (await _node.AuditEventsAsync(AuditActions.EntryRead)).Single(e => e["outcome"]!["result"].Str() == "denied");
        Assert.Equal(_entries[SecurityLevels.Confidential].ResourceId.ToString(), denied["resource"]!["id"].Str());

        var session = await reader.OpenSessionAsync();
        // By title: confidential, internal, public, restricted, 他院.
        var rs = (await reader.SearchAsync(session, new { text = "纵隔肿物", sort = "title", order = "asc" }))["resultSetId"].Str();
        await reader.RetrieveAsync(session, rs, elementSet: "summary");
        Assert.Empty(await _node.AuditEventsAsync(AuditActions.CatalogueExport));
        var full = await reader.RetrieveAsync(session, rs, position: 2, count: 3, elementSet: "full");
        Assert.Equal(["internal", "public", "restricted"], full.Records().Select(r => Name(r["resourceId"]!.GetValue<Guid>())));
        var export = Assert.Single(await _node.AuditEventsAsync(AuditActions.CatalogueExport));
        Assert.Equal(("result-set", rs, "full", "2", "3"),
            (export["resource"]!["kind"].Str(), export["resource"]!["id"].Str(), export["details"]!["elementSet"].Str(), export["details"]!["position"].Str(), export["details"]!["count"].Str()));
        // Each restricted-or-above record a retrieval served is a read on the record: restricted and confidential, then restricted.
        var retrievalReads = (await _node.AuditEventsAsync(AuditActions.EntryRead)).Where(e => e["details"]!["view"].Str() == "result-set").ToList();
        Assert.Equal(["confidential", "restricted", "restricted"], retrievalReads.Select(e => e["resource"]!["classification"].Str()).Order());

        // Views: two record fetches, five records of the summary retrieval, three of the full one; none for the hidden fetch.
        Assert.Equal(10, await _node.ScalarAsync("SELECT coalesce(sum(count), 0) FROM directory.usage_counts WHERE kind = 'View'"));
        Assert.Equal(3, await _node.ScalarAsync($"SELECT count FROM directory.usage_counts WHERE kind = 'View' AND resource_id = '{_entries[SecurityLevels.Restricted].ResourceId}'"));
        Assert.Equal(1, await _node.ScalarAsync($"SELECT count FROM directory.usage_counts WHERE kind = 'View' AND resource_id = '{_entries[SecurityLevels.Confidential].ResourceId}'"));
    }

    private string Name(Guid id) => _entries.Single(e => e.Value.ResourceId == id).Key;

    // A 404's problem with the asked identifier taken out: what is left must not tell a hidden entry from a missing one.
    private static string Problem(JsonObject? problem, string identifier)
    {
        problem!.Remove("correlationId");
        problem.Remove("traceId");
        return problem.ToJsonString().Replace(identifier, "<id>", StringComparison.Ordinal);
    }
}
