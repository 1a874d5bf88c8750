using System.Net;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>
/// The effective exchange configuration (§4.4.1) through the Exchange API: a city's links with the sharing rules of
/// its tier file on each, and what they decide for an entry; a malformed question names its parameter.
/// </summary>
public sealed class FederationLinksTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    private ServiceFactory<ExchangeServiceMarker> Factory { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeTestEnvironment.CreateAsync("shijiazhuang");
        Factory = new ServiceFactory<ExchangeServiceMarker>(_node);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _node.DisposeAsync();
    }

    private HttpClient Regulator() => Factory.CreateClient().WithToken(TestTokens.Create(_node, "regulator-1", Roles.Regulator));

    [Fact]
    public async Task A_city_lists_its_parent_children_and_sideways_links_with_their_rules()
    {
        using var client = Regulator();
        var links = JsonNode.Parse(await client.GetStringAsync("/links"))!;
        Assert.Equal("centralised", links["directoryMode"]!.GetValue<string>());
        var byLink = links["links"]!.AsArray().Select(l => ($"{l!["direction"]!.GetValue<string>()}:{l["peerNode"]!.GetValue<string>()}", l["rules"]!.AsArray())).ToDictionary();
        Assert.Equal(["up:hebei", "down:zhengding", "down:zanhuang", "sideways:zhengding", "sideways:zanhuang"], byLink.Keys);
        Assert.Equal(["none", "unconditional", "conditional"], byLink["up:hebei"].Select(r => r!["share"]!.GetValue<string>()));
        Assert.Equal(["7"], byLink["up:hebei"][0]!["classifications"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("rekey", byLink["down:zanhuang"][0]!["pseudonyms"]!.GetValue<string>());
    }

    [Fact]
    public async Task Decisions_follow_the_first_covering_rule_per_link()
    {
        using var client = Regulator();
        var restricted = JsonNode.Parse(await client.GetStringAsync("/links/decisions?classification=2.1&securityClassification=restricted"))!;
        var shares = restricted["decisions"]!.AsArray().Select(d => $"{d!["direction"]!.GetValue<string>()}:{d["target"]!.GetValue<string>()}={d["share"]!.GetValue<string>()}");
        Assert.Equal(["up:hebei=conditional", "down:zhengding=none", "down:zanhuang=none", "sideways:zhengding=none", "sideways:zanhuang=none"], shares);
        var pathology = JsonNode.Parse(await client.GetStringAsync("/links/decisions?classification=7.1&securityClassification=public"))!;
        var up = pathology["decisions"]![0]!;
        Assert.Equal(("none", 0), (up["share"]!.GetValue<string>(), up["rule"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("/links/decisions?securityClassification=secret", "securityClassification")]
    [InlineData("/links/decisions?classification=3.x&securityClassification=public", "classification")]
    public async Task A_malformed_question_is_a_400_naming_the_parameter(string url, string field)
    {
        using var client = Regulator();
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![field]);
    }

    [Fact]
    public async Task A_researcher_may_not_read_the_rules()
    {
        using var client = Factory.CreateClient().WithToken(TestTokens.Create(_node, "researcher-1", Roles.Researcher));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/links/decisions?securityClassification=public")).StatusCode);
    }
}
