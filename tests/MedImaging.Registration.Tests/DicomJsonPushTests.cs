using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.Dicom;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>DICOM JSON push (PS3.18 Annex F) of the corpus files, converted with the project's own JSON writer.</summary>
public sealed class DicomJsonPushTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private static readonly string[] Files = ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "charset_files/chrX1.dcm"];

    private static string Json(string file) => DicomJsonWriter.Serialize(DicomFile.Open(Corpus.Path(file), DicomReaderOptions.MetadataOnly).Dataset);

    private static StringContent Bundle(IEnumerable<string> objects) => new("[" + string.Join(',', objects) + "]", Encoding.UTF8, "application/dicom+json");

    [Fact]
    public async Task AStudyBundleIsStoredAndAnsweredWithTheStoreResponse()
    {
        var response = await node.Client("pacs-json", Roles.Adapter).PostAsync("/instances/json", Bundle(Files.Select(Json)));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(4, Stow.Items(body, "00081199").Count);
        Assert.Equal(1, await node.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = '1.3.6.1.4.1.5962.1.1.0.1.1.1175775771.5711.0'"));
        Assert.Equal("DicomJson", await node.ScalarAsync("SELECT channel FROM registration.acquisition_batches WHERE id = $1",
            Guid.Parse(response.Headers.GetValues("X-Acquisition-Batch").Single())));
    }

    [Fact]
    public async Task OneObjectIsAcceptedAndTheSameInstanceOverStowIsAlreadyStored()
    {
        var client = node.Client("pacs-json", Roles.Adapter);
        var single = await client.PostAsync("/instances/json", new StringContent(Json("charset_files/chrH31.dcm"), Encoding.UTF8, "application/dicom+json"));
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);

        // The same instance as a Part-10 file: same content, so no new version whichever way it came.
        var stow = await client.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("charset_files/chrH31.dcm")));
        Assert.Equal(HttpStatusCode.OK, stow.StatusCode);
        Assert.Equal("AlreadyStored", await node.ScalarAsync("SELECT outcome FROM registration.acquisition_items WHERE batch_id = $1",
            Guid.Parse(stow.Headers.GetValues("X-Acquisition-Batch").Single())));
    }

    [Fact]
    public async Task AnUnreadableElementFailsOnlyThatInstance()
    {
        var response = await node.Client("pacs-json", Roles.Adapter).PostAsync("/instances/json",
            Bundle([Json("rtplan.dcm"), """{"nonsense-tag":{"vr":"LO","Value":["x"]}}""", "42"]));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal([0xC000, 0xC000], Stow.Items(body, "00081198").Select(f => (int)f["00081197"]!["Value"]![0]!));
    }

    [Fact]
    public async Task MalformedJsonIs400Problem()
    {
        var response = await node.Client("pacs-json", Roles.Adapter).PostAsync("/instances/json",
            new StringContent("[{\"00080018\": {\"vr\": \"UI\", ", Encoding.UTF8, "application/dicom+json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
