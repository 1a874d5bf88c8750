using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Registration.Tests;

/// <summary>
/// The caller's scope on the write side: a workflow action on an entry the caller may not see is the 404 of a missing
/// entry (and changes nothing), a bulk action reports it as not found, and hospital staff catalogue for their own
/// institution only.
/// </summary>
public sealed class ScopedWorkflowTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private const string A = ClearanceNode.A;
    private const string B = ClearanceNode.B;

    private HttpClient NodeWide => node.Client("cat-node", Roles.Cataloguer, Roles.Reviewer, Roles.Publisher);

    private HttpClient Scoped(string clearance, string? institution)
        => node.Host.CreateClient().WithToken(TestTokens.CreateScoped(node.Node, $"staff-{clearance}-{institution}", clearance, institution,
            Roles.Cataloguer, Roles.Reviewer, Roles.Publisher));

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length > 0 && JsonNode.Parse(text) is JsonObject problem)
        {
            problem.Remove("traceId");
            problem.Remove("correlationId");
            text = problem.ToJsonString();
        }
        return (response.StatusCode, text);
    }

    [Fact]
    public async Task EveryWorkflowActionOnAHiddenEntryIsTheNotFoundOfAMissingOneAndChangesNothing()
    {
        var other = await ClearanceNode.CreateAsync(NodeWide, A, "internal", "other institution");
        var above = await ClearanceNode.CreateAsync(NodeWide, B, "confidential", "above clearance");
        var verbs = new Dictionary<string, object>
        {
            ["catalogue"] = new { values = new Dictionary<string, string> { ["keyword"] = "改" } }, ["register"] = new { },
            ["approve"] = new { }, ["reject"] = new { reason = "不完整" }, ["publish"] = new { }, ["revise"] = new { }, ["withdraw"] = new { reason = "撤回" },
        };
        // Hospital B's staff with every clearance cannot touch A's entry; B's staff with clearance restricted not B's confidential one.
        foreach (var (client, id) in new[] { (Scoped("confidential", B), other), (Scoped("restricted", B), above), (Scoped("internal", null), above) })
            foreach (var (verb, body) in verbs)
            {
                var missing = Guid.NewGuid();
                var (status, text) = await PostAsync(client, $"/resources/{id}/{verb}", body);
                var (missingStatus, missingText) = await PostAsync(client, $"/resources/{missing}/{verb}", body);
                Assert.Equal(HttpStatusCode.NotFound, status);
                Assert.Equal(missingStatus, status);
                Assert.Equal(missingText.Replace(missing.ToString(), "{id}", StringComparison.Ordinal), text.Replace(id.ToString(), "{id}", StringComparison.Ordinal));
            }
        Assert.Equal(0, await node.CountAsync("SELECT count(*) FROM registration.resource_transitions WHERE resource_id = ANY($1) AND action <> 'Catalogue'",
            (object)new[] { other, above }));
        // The entries are as they were: catalogued, keyword unchanged.
        Assert.Equal(2, await node.CountAsync("SELECT count(*) FROM registration.resources WHERE id = ANY($1) AND state = 'Catalogued' AND values::text NOT LIKE '%改%'",
            (object)new[] { other, above }));
    }

    [Fact]
    public async Task BulkActionsReportEntriesTheCallerMayNotSeeAsNotFound()
    {
        var ownId = await ClearanceNode.CreateAsync(NodeWide, B, "internal", "bulk own");
        var otherId = await ClearanceNode.CreateAsync(NodeWide, A, "internal", "bulk other");
        foreach (var id in new[] { ownId, otherId })
            Assert.Equal(HttpStatusCode.OK, (await NodeWide.PostAsJsonAsync($"/resources/{id}/register", new { })).StatusCode);
        var missing = Guid.NewGuid();

        var response = await Scoped("confidential", B).PostAsJsonAsync("/review-queue/approve", new { ids = new[] { ownId, otherId, missing } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcomes = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["approved", "not-found", "not-found"], outcomes.Select(o => o!["outcome"]!.ToString()));
        Assert.Equal(outcomes[2]!["currentState"]?.ToString(), outcomes[1]!["currentState"]?.ToString());
        Assert.Equal("Registered", await node.ScalarAsync("SELECT state FROM registration.resources WHERE id = $1", otherId));
        // The caller is told "not found"; the request's audit record tells the regulator which of them was hidden.
        var record = JsonNode.Parse((await node.StringsAsync($"""
            SELECT body::text FROM registration.outbox_messages WHERE body ->> 'action' = 'bulk-approve' AND body -> 'details' ->> 'approved' = '{ownId}'
            """)).Single())!;
        Assert.Equal(otherId.ToString(), record["details"]!["hidden"]!.ToString());
        Assert.Equal(missing.ToString(), record["details"]!["not-found"]!.ToString());
    }

    [Fact]
    public async Task HospitalStaffCatalogueForTheirOwnInstitutionOnly()
    {
        var staff = Scoped("confidential", B);

        var refused = await staff.PostAsJsonAsync("/resources", new { kind = "dataset", values = ClearanceNode.Dataset("for A", "internal"), institution = A });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]!["institution"]);

        // Without an institution the entry is the caller's institution's.
        var id = await ClearanceNode.CreateAsync(staff, null, "internal", "own by default");
        Assert.Equal(B, await node.ScalarAsync("SELECT institution FROM registration.resources WHERE id = $1", id));
        var entry = JsonNode.Parse(await staff.GetStringAsync($"/resources/{id}"))!;
        Assert.Contains(entry["values"]!.AsArray(), v => v!["element"]!.ToString() == "organizationCode" && v["value"]!.ToString() == B);

        // Nor can a value hand the entry to another institution.
        var moved = await staff.PostAsJsonAsync($"/resources/{id}/catalogue", new { values = new Dictionary<string, string> { ["organizationCode"] = A } });
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.NotNull(JsonNode.Parse(await moved.Content.ReadAsStringAsync())!["errors"]!["values.organizationCode"]);
        Assert.Equal(B, await node.ScalarAsync("SELECT institution FROM registration.resources WHERE id = $1", id));
    }

    [Fact]
    public async Task TheColumnsFollowTheValuesWhenACataloguerChangesThem()
    {
        var id = await ClearanceNode.CreateAsync(NodeWide, A, "internal", "columns");
        Assert.Equal("internal", await node.ScalarAsync("SELECT security_classification FROM registration.resources WHERE id = $1", id));

        var changed = await NodeWide.PostAsJsonAsync($"/resources/{id}/catalogue", new { values = new Dictionary<string, string>
        {
            ["securityClassification"] = "confidential", ["organizationCode"] = B,
        } });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("confidential", await node.ScalarAsync("SELECT security_classification FROM registration.resources WHERE id = $1", id));
        Assert.Equal(B, await node.ScalarAsync("SELECT institution FROM registration.resources WHERE id = $1", id));
        // …and so does what a restricted caller of B sees.
        Assert.Equal(HttpStatusCode.NotFound, (await Scoped("restricted", B).GetAsync($"/resources/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Scoped("confidential", B).GetAsync($"/resources/{id}")).StatusCode);
    }

    [Fact]
    public async Task IngestWritesTheColumnsOfTheEntriesItCreates()
    {
        var id = await node.IngestEntryAsync("charset_files/chrX1.dcm", RegistrationNode.MappedAdapter);
        var entry = JsonNode.Parse(await NodeWide.GetStringAsync($"/resources/{id}"))!;
        string? Value(string element) => entry["values"]!.AsArray().FirstOrDefault(v => v!["element"]!.ToString() == element)?["value"]?.ToString();

        Assert.Equal(A, await node.ScalarAsync("SELECT institution FROM registration.resources WHERE id = $1", id));
        Assert.NotNull(Value("securityClassification"));
        Assert.Equal(Value("securityClassification"), await node.ScalarAsync("SELECT security_classification FROM registration.resources WHERE id = $1", id));
    }
}
