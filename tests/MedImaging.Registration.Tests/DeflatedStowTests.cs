using System.Net;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>Issue 9: Registration checks that a deflated instance is complete, as it does for the other syntaxes.</summary>
public sealed class DeflatedStowTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private const string DeflatedSop = "1.3.6.1.4.1.5962.1.1.0.0.0.977067309.6001.0"; // image_dfl.dcm, as pydicom reads it

    [Fact]
    public async Task ATruncatedDeflatedInstanceIsRefusedWithAReasonAndTheWholeOneIsStored()
    {
        var whole = Corpus.Bytes("image_dfl.dcm");
        // Cut inside the deflated pixel data (the metadata before it inflates completely), and cut to 400 bytes.
        var content = Stow.Content(whole[..^100], whole[..400]);
        var response = await node.Client("pacs-a", Roles.Adapter).PostAsync("/dicomweb/studies", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var batch = Guid.Parse(response.Headers.GetValues("X-Acquisition-Batch").Single());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var failed = Stow.Items(body, "00081198");
        Assert.Equal([0xC000, 0xC000], failed.Select(f => (int)f["00081197"]!["Value"]![0]!));
        Assert.Equal(0, await node.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = $1", DeflatedSop));
        foreach (var ordinal in new[] { 1, 2 })
        {
            var detail = (string?)await node.ScalarAsync("SELECT detail FROM registration.acquisition_items WHERE batch_id = $1 AND ordinal = $2", batch, ordinal);
            Assert.Contains("deflate data ends before its final block", detail, StringComparison.Ordinal);
        }

        var stored = await node.Client("pacs-a", Roles.Adapter).PostAsync("/dicomweb/studies", Stow.Content(whole));
        Assert.True(stored.StatusCode == HttpStatusCode.OK, await stored.Content.ReadAsStringAsync());
        Assert.Equal(1, await node.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = $1", DeflatedSop));
    }
}
