using System.Net;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>
/// The metadata set versions new entries are written against: the seeded ones too, although Registration started after
/// Metadata had seeded and announced them (it asks at start; ADR 0017).
/// </summary>
public sealed class ActiveMetadataSetsTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    [Fact]
    public async Task TheSeededSetsAreListedForCataloguersAndRefusedToThePublic()
    {
        var codes = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (codes.Count < 2 && DateTime.UtcNow < deadline)
        {
            var ok = await node.Client("cat", Roles.Cataloguer).GetAsync("/metadata-sets/active");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            codes = [.. System.Text.Json.Nodes.JsonNode.Parse(await ok.Content.ReadAsStringAsync())!["items"]!.AsArray().Select(s => s!["setCode"]!.ToString())];
            if (codes.Count < 2) await Task.Delay(200);
        }
        Assert.Equal(["basic-metadata", "dicom-imaging"], codes);
        Assert.Equal(HttpStatusCode.Forbidden, (await node.Client("p", Roles.Public).GetAsync("/metadata-sets/active")).StatusCode);
    }
}
