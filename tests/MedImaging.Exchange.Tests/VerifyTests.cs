using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// POST /audit/verify on a chain of 12 rows (anchored at 5 and 10, read in pages of 4) before and after a DBA changes it
/// behind the service's back: verify names the first broken row and why.
/// </summary>
public sealed class VerifyTests : IAsyncLifetime
{
    private AuditNode _node = null!;
    private HttpClient _regulator = null!;
    private IServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _node = await AuditNode.CreateAsync();
        var exchange = _node.Exchange();
        _regulator = exchange.CreateClient().WithToken(TestTokens.Create(_node.Node, "regulator-1", Roles.Regulator));
        _services = exchange.Services;
        Assert.Equal(12, await AuditNode.AppendAsync(_services, _node.Events(12)));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task AnUntouchedChainVerifiesCleanWithEveryRowAndAnchorChecked()
    {
        var result = await VerifyAsync();

        Assert.True(result["ok"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(12, result["rowsChecked"]!.GetValue<long>());
        Assert.Equal(2, result["anchorsChecked"]!.GetValue<long>());
        Assert.Null(result["firstProblem"]);
    }

    [Fact]
    public async Task OneChangedFieldIsNamedAsContentChangedAtThatRow()
    {
        await _node.TamperAsync("UPDATE exchange.audit_records SET actor_id = 'someone-else' WHERE sequence = 7");

        var problem = await FirstProblemAsync();

        Assert.Equal(7, problem["sequence"]!.GetValue<long>());
        Assert.Equal("content-changed", problem["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task AChangedDetailOrRoleIsNamedToo()
    {
        await _node.TamperAsync("""UPDATE exchange.audit_records SET details = '{"n": "3", "说明": "修改"}' WHERE sequence = 3""");
        Assert.Equal((3, "content-changed"), Named(await FirstProblemAsync()));
    }

    [Fact]
    public async Task ADeletedMiddleRowIsNamedAsTheSequenceGap()
    {
        await _node.TamperAsync("DELETE FROM exchange.audit_records WHERE sequence = 6");

        var problem = await FirstProblemAsync();

        Assert.Equal((6, "sequence-gap"), Named(problem));
        Assert.Contains("row 6 is missing", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedLastRowsAreNamedAsTheMissingTail()
    {
        // Rows 9–12 go; the anchor of row 10 still says the chain reached at least that far.
        await _node.TamperAsync("DELETE FROM exchange.audit_records WHERE sequence >= 9");

        var result = await VerifyAsync();
        var problem = result["firstProblem"]!;

        Assert.Equal((9, "chain-cut-short"), Named(problem));
        Assert.Contains("names row 10", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(8, result["rowsChecked"]!.GetValue<long>());
    }

    [Fact]
    public async Task ARowRewrittenWithARecomputedHashBreaksTheNextRowsLink()
    {
        // A DBA who knows the canonical form changes row 4 and recomputes its hash: row 4 checks out, row 5's link does not.
        var row = (await ChainRows.LoadAsync(_services, 4))[0];
        var rewritten = ChainRows.Rewritten(row, "someone-else", row.PreviousHash);
        await _node.TamperAsync($"UPDATE exchange.audit_records SET actor_id = 'someone-else', hash = '\\x{Convert.ToHexStringLower(rewritten.Hash)}' WHERE sequence = 4");

        Assert.Equal((5, "row-missing"), Named(await FirstProblemAsync()));
    }

    [Fact]
    public async Task ATailRewrittenConsistentlyIsCaughtByTheAnchorItNoLongerMatches()
    {
        // Rows 7–12 rewritten, every hash and link recomputed: only the signed anchor of row 10 can tell.
        await ChainRows.RewriteFromAsync(_node, _services, 7, "rewritten");

        var problem = await FirstProblemAsync();

        Assert.Equal((10, "anchor-mismatch"), Named(problem));
        Assert.Contains("names hash", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnchorWithATamperedSignatureIsNamed()
    {
        await _node.TamperAsync("UPDATE exchange.audit_anchors SET signature = set_byte(signature, 10, get_byte(signature, 10) # 1) WHERE sequence = 5");

        var problem = await FirstProblemAsync();

        Assert.Equal((5, "anchor-mismatch"), Named(problem));
        Assert.Contains("signature does not verify", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFirstProblemInSequenceOrderIsTheOneNamed()
    {
        await _node.TamperAsync("""
            UPDATE exchange.audit_records SET outcome = 'denied' WHERE sequence = 11;
            UPDATE exchange.audit_anchors SET signature = set_byte(signature, 0, get_byte(signature, 0) # 1) WHERE sequence = 10;
            UPDATE exchange.audit_records SET action = 'phi-read' WHERE sequence = 3
            """);
        Assert.Equal((3, "content-changed"), Named(await FirstProblemAsync()));
    }

    [Fact]
    public async Task OnlyRegulatorsAndAdminsMayVerify()
    {
        var exchange = _node.Exchange();
        var cataloguer = exchange.CreateClient().WithToken(TestTokens.Create(_node.Node, "cat-1", Roles.Cataloguer));
        var admin = exchange.CreateClient().WithToken(TestTokens.Create(_node.Node, "admin-1", Roles.Admin));

        Assert.Equal(HttpStatusCode.Forbidden, (await cataloguer.PostAsync("/audit/verify", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cataloguer.GetAsync("/audit/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/audit/verify", null)).StatusCode);
    }

    [Fact]
    public async Task EachVerifyIsItselfAuditedThroughTheOutboxAndLandsInTheChain()
    {
        await VerifyAsync();

        await AuditNode.WaitUntilAsync(async () => await _node.CountAsync(
            "SELECT count(*) FROM exchange.audit_records WHERE action = $1 AND actor_id = 'regulator-1'", AuditActions.AuditVerify) == 1,
            "the audit-verify record was appended");
        Assert.Equal(1, await _node.CountAsync(
            "SELECT count(*) FROM exchange.audit_records WHERE action = $1 AND details->>'ok' = 'true' AND details->>'rowsChecked' = '12' AND sequence = 13",
            AuditActions.AuditVerify));
        Assert.True((await VerifyAsync())["ok"]!.GetValue<bool>());
    }

    private async Task<JsonNode> VerifyAsync()
    {
        var response = await _regulator.PostAsync("/audit/verify", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private async Task<JsonNode> FirstProblemAsync()
    {
        var result = await VerifyAsync();
        Assert.False(result["ok"]!.GetValue<bool>(), result.ToJsonString());
        return result["firstProblem"]!;
    }

    private static (long, string) Named(JsonNode problem) => (problem["sequence"]!.GetValue<long>(), problem["kind"]!.GetValue<string>());
}
