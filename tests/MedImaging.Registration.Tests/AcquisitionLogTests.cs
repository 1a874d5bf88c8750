using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>The acquisition log (§4.9.4): per adapter and batch, what was received, accepted and rejected, and why.</summary>
public sealed class AcquisitionLogTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    [Fact]
    public async Task AdaptersSeeTheirOwnBatchesAndCataloguersSeeAll()
    {
        var a = node.Client("pacs-a", Roles.Adapter);
        var b = node.Client("pacs-b", Roles.Adapter);
        var mixed = await a.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("rtplan.dcm"), Encoding.UTF8.GetBytes("garbage")));
        Assert.Equal(HttpStatusCode.Accepted, mixed.StatusCode);
        var batchA = mixed.Headers.GetValues("X-Acquisition-Batch").Single();
        Assert.True((await b.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("MR_small.dcm")))).IsSuccessStatusCode);

        var own = JsonNode.Parse(await a.GetStringAsync("/acquisitions?adapter=pacs-b"))!["items"]!.AsArray();
        Assert.NotEmpty(own);
        Assert.All(own, i => Assert.Equal("pacs-a", i!["adapter"]!.ToString()));

        var all = JsonNode.Parse(await node.Client("cat", Roles.Cataloguer).GetStringAsync("/acquisitions"))!["items"]!.AsArray();
        Assert.Contains(all, i => i!["adapter"]!.ToString() == "pacs-b");
        var partial = JsonNode.Parse(await node.Client("cat", Roles.Cataloguer).GetStringAsync("/acquisitions?status=partiallyFailed&adapter=pacs-a"))!["items"]!.AsArray();
        Assert.Equal(batchA, partial.Single()!["id"]!.ToString());
        var future = JsonNode.Parse(await node.Client("cat", Roles.Cataloguer).GetStringAsync($"/acquisitions?from={DateTime.UtcNow.AddHours(1):O}"))!;
        Assert.Equal(0, (int)future["total"]!);

        var detail = JsonNode.Parse(await a.GetStringAsync($"/acquisitions/{batchA}"))!;
        Assert.Equal(2, (int)detail["batch"]!["received"]!);
        Assert.Equal(1, (int)detail["batch"]!["rejected"]!);
        var items = detail["items"]!["items"]!.AsArray();
        Assert.Equal(["stored", "failed"], items.Select(i => i!["outcome"]!.ToString()));
        Assert.Equal(0xC000, (int)items[1]!["failureReason"]!);
        Assert.Contains("DICOM", items[1]!["detail"]!.ToString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/acquisitions/{batchA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await node.Client("r", Roles.Reviewer).GetAsync("/acquisitions")).StatusCode);
    }
}
