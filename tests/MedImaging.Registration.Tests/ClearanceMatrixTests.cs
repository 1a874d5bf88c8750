using System.Net;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Issue 11's clearance matrix: every Registration read endpoint × every role × every clearance × node-wide, own and other
/// institution. Each cell is asserted — 200 with exactly the entries the caller may see (and a total that counts only
/// those), 404 for an entry it may not see with the body of a missing one, or 403 for a role the endpoint does not admit.
/// Failures are collected so that one run names every wrong cell.
/// </summary>
public sealed class ClearanceMatrixTests(ClearanceNode fixture) : IClassFixture<ClearanceNode>
{
    private static readonly string?[] Scopes = [null, ClearanceNode.A, ClearanceNode.B];

    private static readonly HashSet<string> ReadRoles = [Roles.Cataloguer, Roles.Reviewer, Roles.Publisher, Roles.Regulator, Roles.Admin];
    private static readonly HashSet<string> QueueRoles = [Roles.Reviewer, Roles.Publisher, Roles.Admin];
    private static readonly HashSet<string> LogRoles = [Roles.Adapter, Roles.Cataloguer, Roles.Admin];
    private static readonly HashSet<string> CatalogueRoles = [Roles.Cataloguer, Roles.Admin];

    [Fact]
    public async Task EveryReadEndpointShowsEachRoleClearanceAndInstitutionExactlyWhatItMaySee()
    {
        var entries = await fixture.EntriesAsync();
        // The seed is what the matrix needs: every level at both institutions, entries without institution, registered ones.
        foreach (var institution in new[] { ClearanceNode.A, ClearanceNode.B })
            Assert.All(ClearanceNode.Levels, level => Assert.Contains(entries, e => e.Institution == institution && e.Classification == level));
        Assert.Contains(entries, e => e.Institution is null);
        Assert.Contains(entries, e => e.State == "Registered");
        var missing = Guid.NewGuid();
        var wrong = new List<string>();
        var cells = 0;

        foreach (var role in Roles.All)
            foreach (var clearance in ClearanceNode.Levels)
                foreach (var scope in Scopes)
                {
                    // Adapters are clients: they act as themselves, the mapped adapter here.
                    var user = role == Roles.Adapter ? RegistrationNode.MappedAdapter : $"{role}-{clearance}-{scope ?? "node"}";
                    var client = fixture.Node.Host.CreateClient().WithToken(TestTokens.CreateScoped(fixture.Node.Node, user, clearance, scope, role));
                    var who = $"{role}/{clearance}/{scope ?? "node-wide"}";
                    void Check(bool ok, string what) { cells++; if (!ok) wrong.Add($"{who} {what}"); }
                    var visible = entries.Where(e => ClearanceNode.Sees(clearance, scope, e)).Select(e => e.Id).ToHashSet();

                    await ListAsync(client, "/resources?pageSize=500", ReadRoles.Contains(role), visible, Check);
                    await ListAsync(client, "/resources?state=registered&pageSize=500", ReadRoles.Contains(role),
                        [.. entries.Where(e => e.State == "Registered" && visible.Contains(e.Id)).Select(e => e.Id)], Check);
                    foreach (var path in new[] { "/resources/{0}", "/resources/{0}/history" })
                    {
                        var missingBody = await OneAsync(client, string.Format(null, path, missing), ReadRoles.Contains(role), visible: false, null, missing, Check);
                        foreach (var e in entries)
                            await OneAsync(client, string.Format(null, path, e.Id), ReadRoles.Contains(role), visible.Contains(e.Id), missingBody, e.Id, Check);
                    }
                    await ListAsync(client, "/review-queue?pageSize=500", QueueRoles.Contains(role),
                        [.. entries.Where(e => e.State == "Registered" && visible.Contains(e.Id)).Select(e => e.Id)], Check);

                    // The acquisition log: an adapter its own batches; hospital staff their institution's adapters'; node-wide all.
                    var batches = fixture.Batches.Where(b => role == Roles.Adapter ? b.Adapter == user
                        : scope is null || (scope == ClearanceNode.A && b.Adapter == RegistrationNode.MappedAdapter)).Select(b => b.Id).ToHashSet();
                    await ListAsync(client, "/acquisitions?pageSize=500", LogRoles.Contains(role), batches, Check);
                    var missingBatch = await OneAsync(client, $"/acquisitions/{missing}", LogRoles.Contains(role), visible: false, null, missing, Check);
                    foreach (var (id, _) in fixture.Batches)
                        await OneAsync(client, $"/acquisitions/{id}", LogRoles.Contains(role), batches.Contains(id), missingBatch, id, Check);

                    // Neither holds entries: only the role decides.
                    Check(await StatusAsync(client, "/metadata-sets/active") == (CatalogueRoles.Contains(role) ? HttpStatusCode.OK : HttpStatusCode.Forbidden), "/metadata-sets/active");
                    Check(await StatusAsync(client, "/admin/phi-vault/keys") == (role == Roles.Admin ? HttpStatusCode.OK : HttpStatusCode.Forbidden), "/admin/phi-vault/keys");
                }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cells} cells wrong:\n" + string.Join("\n", wrong.Take(60)));
        // At least: four lists, two reads of each entry and of a missing one, each batch, two more endpoints, per caller.
        Assert.True(cells >= Roles.All.Count * 12 * (4 + 2 * (entries.Count + 1) + fixture.Batches.Count + 1 + 2), $"only {cells} cells were checked");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path) => (await client.GetAsync(path)).StatusCode;

    // A list: 403 for a role it does not admit; else exactly the expected ids, and a total that counts them and nothing else.
    private static async Task ListAsync(HttpClient client, string path, bool admitted, HashSet<Guid> expected, Action<bool, string> check)
    {
        var response = await client.GetAsync(path);
        if (!admitted) { check(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}, not 403"); return; }
        if (response.StatusCode != HttpStatusCode.OK) { check(false, $"{path}: {(int)response.StatusCode}"); return; }
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var ids = page["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.ToString())).ToHashSet();
        check(ids.SetEquals(expected), $"{path}: items {ids.Count}, expected {expected.Count}");
        check(page["total"]!.GetValue<int>() == expected.Count, $"{path}: total {page["total"]}, expected {expected.Count}");
    }

    // One resource: 403 / 200 / 404, and a 404 for something that exists reads exactly as one for something that does not.
    private static async Task<string> OneAsync(HttpClient client, string path, bool admitted, bool visible, string? missingBody, Guid id, Action<bool, string> check)
    {
        var response = await client.GetAsync(path);
        var expected = !admitted ? HttpStatusCode.Forbidden : visible ? HttpStatusCode.OK : HttpStatusCode.NotFound;
        check(response.StatusCode == expected, $"{path}: {(int)response.StatusCode}, expected {(int)expected}");
        var body = Comparable(await response.Content.ReadAsStringAsync(), id);
        if (response.StatusCode == HttpStatusCode.NotFound && missingBody is not null)
            check(body == missingBody, $"{path}: the 404 differs from a missing one's: {body} / {missingBody}");
        return body;
    }

    // A problem body without what differs per request (trace and correlation ids) and with the id asked for as {id}.
    private static string Comparable(string body, Guid id)
    {
        if (body.Length == 0 || JsonNode.Parse(body) is not JsonObject problem) return body;
        problem.Remove("traceId");
        problem.Remove("correlationId");
        return problem.ToJsonString().Replace(id.ToString(), "{id}", StringComparison.OrdinalIgnoreCase);
    }
}
