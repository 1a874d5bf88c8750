using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Tests;

public sealed class IdentifierTests(MetadataFixture fx) : IClassFixture<MetadataFixture>
{
    [Fact]
    public async Task IssuedIdentifierIsRootAdministrativeCodeClassificationAndASerial()
    {
        var oid = await fx.IssueAsync("2.2.2");
        var arcs = oid.Split('.');
        Assert.StartsWith($"{fx.OidRoot}.{fx.AdministrativeCode}.2.2.2.", oid, StringComparison.Ordinal);
        Assert.True(long.Parse(arcs[^1], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task SerialsAreNeverReusedEvenAfterWithdrawal()
    {
        var first = await fx.IssueAsync("3.1.1");
        (await fx.Admin.PostAsJsonAsync($"/identifiers/{first}/withdraw", new { reason = "duplicate registration" })).EnsureSuccessStatusCode();
        var second = await fx.IssueAsync("3.1.1");

        static long Serial(string oid) => long.Parse(oid.Split('.')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Serial(second) > Serial(first));
        var withdrawn = (await fx.Reader.GetFromJsonAsync<JsonObject>($"/identifiers/{first}/explain"))!;
        Assert.Contains("withdrawn", withdrawn["arcs"]!.AsArray()[^1]!["meaningEn"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainReadsTheOidArcByArc()
    {
        var oid = await fx.IssueAsync("2.2.2");
        var x = (await fx.Reader.GetFromJsonAsync<JsonObject>($"/identifiers/{oid}/explain"))!;
        var arcs = x["arcs"]!.AsArray().Select(a => (Role: a!["role"]!.GetValue<string>(), Arcs: a["arcs"]!.GetValue<string>(), Zh: a["meaningZh"]!.GetValue<string>())).ToList();

        Assert.True(x["valid"]!.GetValue<bool>());
        Assert.Equal(["root", "administrativeCode", "category", "subcategory", "detail", "serial"], arcs.Select(a => a.Role));
        Assert.Equal(fx.OidRoot, arcs[0].Arcs);
        Assert.Contains("CT", arcs[2].Zh, StringComparison.Ordinal);
        Assert.Contains("胸部", arcs[3].Zh, StringComparison.Ordinal);
        Assert.Contains("增强扫描", arcs[4].Zh, StringComparison.Ordinal);
        Assert.Contains("issued", arcs[5].Zh, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.16.abc", "Not an OID")]
    [InlineData("1.2.840.10008.1", "Not under")]
    [InlineData("{root}.130000.9.1.1.5", "类目 code 9 is not in")]
    [InlineData("{root}.130000.2.2.2.99999999", "never issued")]
    [InlineData("{root}.130000.2.2", "Expected 5 arcs")]
    public async Task InvalidOidsAreExplainedWithTheirProblem(string oid, string problem)
    {
        var x = (await fx.Reader.GetFromJsonAsync<JsonObject>($"/identifiers/{oid.Replace("{root}", fx.OidRoot, StringComparison.Ordinal)}/explain"))!;
        Assert.False(x["valid"]!.GetValue<bool>());
        Assert.Contains(x["problems"]!.AsArray(), p => p!.GetValue<string>().Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdentifiersAreIssuedOnlyUnderAnExistingDetail()
    {
        var response = await fx.Admin.PostAsJsonAsync("/identifiers", new { classificationCode = "2.2" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("细目", (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["classificationCode"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
