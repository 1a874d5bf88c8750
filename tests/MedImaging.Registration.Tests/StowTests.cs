using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.Dicom;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>STOW-RS of real corpus files: store response, idempotency per SOP Instance UID, versions, per-part failures.</summary>
public sealed class StowTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    // SOP Instance UIDs as pydicom 2.3.1 reads them from the same files.
    private const string CtSop = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
    private const string MrSop = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457";
    private const string RtPlanSop = "1.2.777.777.77.7.7777.7777.20030903150023";
    private const string H31Sop = "1.3.6.1.4.1.5962.1.1.0.1.1.1175775771.5702.0";
    private const string CtStudy = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private const string CtSeries = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";

    private HttpClient Adapter() => node.Client("pacs-a", Roles.Adapter);

    private static async Task<(HttpStatusCode Status, JsonNode Body, Guid Batch)> PostAsync(HttpClient client, HttpContent content, string path = "/dicomweb/studies")
    {
        var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!, Guid.Parse(response.Headers.GetValues("X-Acquisition-Batch").Single()));
    }

    [Fact]
    public async Task CorpusFilesAreStoredAndReferencedWithRetrieveUrls()
    {
        var (status, body, batch) = await PostAsync(Adapter(), Stow.Content(Corpus.Bytes("CT_small.dcm"), Corpus.Bytes("MR_small.dcm"),
            Corpus.Bytes("rtplan.dcm"), Corpus.Bytes("charset_files/chrH31.dcm")));

        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        var referenced = Stow.Items(body, "00081199");
        Assert.Equal([CtSop, MrSop, RtPlanSop, H31Sop], referenced.Select(i => Stow.Text(i, "00081155")));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", Stow.Text(referenced[0], "00081150"));
        Assert.Equal($"{RegistrationNode.PacsBase}/studies/{CtStudy}/series/{CtSeries}/instances/{CtSop}", Stow.Text(referenced[0], "00081190"));
        Assert.Empty(Stow.Items(body, "00081198"));
        Assert.Equal(1, await node.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = $1 AND current_version = 1", CtSop));
        Assert.Equal(1, await node.CountAsync("SELECT instance_count FROM registration.studies WHERE study_instance_uid = $1", CtStudy));
    }

    [Fact]
    public async Task TheSameInstanceAgainIsAlreadyStoredAndMakesNoNewVersion()
    {
        var client = Adapter();
        var first = await client.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("rtplan.dcm")));
        Assert.True(first.IsSuccessStatusCode);
        var versions = await node.CountAsync("SELECT count(*) FROM registration.instance_versions");

        var again = await client.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("rtplan.dcm")));
        var body = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(RtPlanSop, Stow.Text(Stow.Items(body, "00081199").Single(), "00081155"));
        Assert.Equal(versions, await node.CountAsync("SELECT count(*) FROM registration.instance_versions"));
        var batch = Guid.Parse(again.Headers.GetValues("X-Acquisition-Batch").Single());
        Assert.Equal("AlreadyStored", await node.ScalarAsync("SELECT outcome FROM registration.acquisition_items WHERE batch_id = $1", batch));
    }

    [Fact]
    public async Task AChangedInstanceBecomesVersionTwo()
    {
        var client = Adapter();
        Assert.True((await client.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("MR_small.dcm")))).IsSuccessStatusCode);
        var file = DicomFile.Open(Corpus.Path("MR_small.dcm"));
        file.Dataset.Add(DicomTags.StudyDescription, DicomVR.LO, "头部 平扫 corrected");
        using var changed = new MemoryStream();
        DicomWriter.Write(file, changed);

        var response = await client.PostAsync("/dicomweb/studies", Stow.Content(changed.ToArray()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, await node.CountAsync("SELECT current_version FROM registration.instances WHERE sop_instance_uid = $1", MrSop));
        Assert.Equal(2, await node.CountAsync("SELECT count(*) FROM registration.instance_versions v JOIN registration.instances i ON i.id = v.instance_id WHERE i.sop_instance_uid = $1", MrSop));
        Assert.Equal(1, await node.CountAsync("SELECT instance_count FROM registration.series s JOIN registration.instances i ON i.series_id = s.id WHERE i.sop_instance_uid = $1", MrSop));
    }

    [Fact]
    public async Task BadPartsFailOneByOneWhileTheGoodPartIsStored()
    {
        var oversized = new byte[RegistrationNode.MaxPartBytes + 4096];
        Corpus.Bytes("CT_small.dcm").CopyTo(oversized, 0);
        var content = Stow.Content(Corpus.Bytes("charset_files/chrX1.dcm"), Encoding.UTF8.GetBytes("this is not DICOM"),
            Corpus.Bytes("MR_truncated.dcm"), oversized);

        var (status, body, batch) = await PostAsync(Adapter(), content);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("1.3.6.1.4.1.5962.1.1.0.1.1.1175775771.5711.0", Stow.Text(Stow.Items(body, "00081199").Single(), "00081155"));
        var failed = Stow.Items(body, "00081198");
        Assert.Equal([0xC000, 0xC000, 0xA700], failed.Select(f => (int)f["00081197"]!["Value"]![0]!));
        // Only the good part left a version behind; the failures are logged with their reasons.
        Assert.Equal(1, await node.CountAsync("SELECT count(*) FROM registration.instance_versions WHERE batch_id = $1", batch));
        var truncatedDetail = (string?)await node.ScalarAsync("SELECT detail FROM registration.acquisition_items WHERE batch_id = $1 AND ordinal = 3", batch);
        Assert.Contains("truncated", truncatedDetail, StringComparison.Ordinal);
        Assert.Equal("PartiallyFailed", await node.ScalarAsync("SELECT status FROM registration.acquisition_batches WHERE id = $1", batch));
    }

    [Fact]
    public async Task ATruncatedInstanceLeavesNothingBehind()
    {
        var (status, body, batch) = await PostAsync(Adapter(), Stow.Content(Corpus.Bytes("MR_truncated.dcm")), "/dicomweb/studies/1.3.6.1.4.1.5962.1.2.4.20040826185059.5457");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(0xC000, (int)Stow.Items(body, "00081198").Single()["00081197"]!["Value"]![0]!);
        Assert.Equal(0, await node.CountAsync("SELECT count(*) FROM registration.instance_versions WHERE batch_id = $1", batch));
        Assert.Equal("Failed", await node.ScalarAsync("SELECT status FROM registration.acquisition_batches WHERE id = $1", batch));
    }

    [Fact]
    public async Task InstancesOfAnotherStudyThanTheUrlsFailWithA900()
    {
        var (status, body, batch) = await PostAsync(Adapter(), Stow.Content(Corpus.Bytes("CT_small.dcm")), "/dicomweb/studies/1.2.3.4.5");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(0xA900, (int)Stow.Items(body, "00081198").Single()["00081197"]!["Value"]![0]!);
    }

    [Fact]
    public async Task MalformedMultipartIs400Problem()
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("--b1\r\nContent-Type: application/dicom\r\n\r\nDICM-without-an-end"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/related; type=\"application/dicom\"; boundary=b1");
        var response = await Adapter().PostAsync("/dicomweb/studies", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WrongMediaTypeIs415()
    {
        var json = new StringContent("{}", Encoding.UTF8, "application/json");
        var refused = await Adapter().PostAsync("/dicomweb/studies", json);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        // The attempt is in the acquisition log with its reason, for the hospital's IT staff.
        var batch = Guid.Parse(refused.Headers.GetValues("X-Acquisition-Batch").Single());
        Assert.Equal("Malformed", await node.ScalarAsync("SELECT status FROM registration.acquisition_batches WHERE id = $1", batch));
        Assert.Contains("not multipart/related", (string)(await node.ScalarAsync("SELECT error FROM registration.acquisition_batches WHERE id = $1", batch))!, StringComparison.Ordinal);
        var wrongType = Stow.Content(Corpus.Bytes("rtplan.dcm"));
        wrongType.Headers.ContentType!.Parameters.Single(p => p.Name == "type").Value = "\"application/dicom+xml\"";
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Adapter().PostAsync("/dicomweb/studies", wrongType)).StatusCode);
    }

    [Fact]
    public async Task XmlIsAnsweredWhenAcceptAsksForIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = Stow.Content(Corpus.Bytes("rtplan.dcm")) };
        request.Headers.Accept.ParseAdd("application/dicom+xml");
        var response = await Adapter().SendAsync(request);
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("application/dicom+xml", response.Content.Headers.ContentType?.MediaType);
        System.Xml.Linq.XNamespace ns = "http://dicom.nema.org/PS3.19/models/NativeDICOM";
        Assert.Contains(xml.Descendants(ns + "DicomAttribute"), a => (string?)a.Attribute("tag") == "00081155"
            && a.Element(ns + "Value")?.Value == RtPlanSop);
    }

    [Fact]
    public async Task OnlyAdaptersMayStore()
    {
        var response = await node.Client("someone", Roles.Cataloguer).PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("rtplan.dcm")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
