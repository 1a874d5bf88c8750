using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Registration.Tests;

/// <summary>
/// One request may carry at most Registration:Ingest:MaxPartsPerRequest parts (default 1000): the part after the limit
/// ends the request with a 413 problem naming the limit, and the batch's items come back a page at a time.
/// </summary>
public sealed class StowPartLimitTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private const int DefaultLimit = 1000;

    [Fact]
    public async Task ARequestOfMorePartsThanTheLimitIsRefusedWith413NamingItAndItsBatchIsPaged()
    {
        var adapter = node.Client("pacs-flood", Roles.Adapter);
        var garbage = Enumerable.Range(0, DefaultLimit + 1).Select(i => Encoding.ASCII.GetBytes($"garbage {i}")).ToArray();
        var response = await adapter.PostAsync("/dicomweb/studies", Stow.Content(garbage));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(DefaultLimit, (int)problem["maxPartsPerRequest"]!);
        Assert.Contains("at most 1000", problem["detail"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("Registration:Ingest:MaxPartsPerRequest", problem["detail"]!.ToString(), StringComparison.Ordinal);
        var batch = problem["batchId"]!.ToString();

        // The batch holds the parts up to the limit; its items come a page at a time, in part order.
        var detail = JsonNode.Parse(await adapter.GetStringAsync($"/acquisitions/{batch}?page=3&pageSize=10"))!;
        Assert.Equal(DefaultLimit, (int)detail["batch"]!["received"]!);
        var items = detail["items"]!;
        Assert.Equal(DefaultLimit, (int)items["total"]!);
        Assert.Equal((3, 10), ((int)items["page"]!, (int)items["pageSize"]!));
        Assert.Equal(Enumerable.Range(21, 10), items["items"]!.AsArray().Select(i => (int)i!["ordinal"]!));
        Assert.Contains("more than 1000 parts", detail["batch"]!["error"]?.ToString() ?? "", StringComparison.Ordinal);

        var tooBig = await adapter.GetAsync($"/acquisitions/{batch}?pageSize=1000");
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("between 1 and 500", JsonNode.Parse(await tooBig.Content.ReadAsStringAsync())!["errors"]!["pageSize"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestAtTheLimitIsAnsweredAsUsual()
    {
        using var limited = node.WithSettings(new Dictionary<string, string?> { ["Registration:Ingest:MaxPartsPerRequest"] = "3" });
        using var client = limited.CreateClient().WithToken(TestTokens.Create(node.Node, "pacs-limit", Roles.Adapter));

        var atLimit = await client.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("MR_small.dcm"), Encoding.ASCII.GetBytes("x"), Encoding.ASCII.GetBytes("y")));
        Assert.Equal(HttpStatusCode.Accepted, atLimit.StatusCode);

        var over = await client.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("MR_small.dcm"), Encoding.ASCII.GetBytes("x"), Encoding.ASCII.GetBytes("y"), Encoding.ASCII.GetBytes("z")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal(3, (int)JsonNode.Parse(await over.Content.ReadAsStringAsync())!["maxPartsPerRequest"]!);
    }
}
