using System.Net;
using System.Text.Json.Nodes;
using MedImaging.Dicom;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Ingest states what it stored as a fact other services can act on (analysis jobs, acquisition monitoring): one
/// StudyInstancesStored per study per commit, through the outbox, carrying counts and pseudonyms but no identity.
/// </summary>
public sealed class StudyEventTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private const string Queue = "test-study-instances-stored";
    private const string CtStudy = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private const string MrStudy = "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457";

    [Fact]
    public async Task EachStudyOfACommitIsAnnouncedOnceAndAnInstanceAlreadyHeldIsNot()
    {
        await node.ListenAsync("MedImaging.Contracts.Registration:StudyInstancesStored", Queue);
        var adapter = node.Client("pacs-a", Roles.Adapter);

        var first = await adapter.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("CT_small.dcm"), Corpus.Bytes("MR_small.dcm")));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var batch = first.Headers.GetValues("X-Acquisition-Batch").Single();
        var announced = (await node.ReceiveAsync(Queue, 2)).Select(m => m["message"]!).ToDictionary(m => m["studyInstanceUid"]!.ToString());
        Assert.Equal([CtStudy, MrStudy], announced.Keys.Order(StringComparer.Ordinal));
        var ct = announced[CtStudy];
        Assert.Equal(1, (int)ct["stored"]!);
        Assert.Equal(0, (int)ct["newVersions"]!);
        Assert.Equal(1, (int)ct["instanceCount"]!);
        Assert.Equal("CT", ct["modalities"]![0]!.ToString());
        Assert.Equal("pacs-a", ct["adapters"]![0]!.ToString());
        Assert.Equal(batch, ct["batchIds"]![0]!.ToString());
        Assert.Equal(node.Node.Node["nodeId"]!.ToString(), ct["originNode"]!.ToString());
        var entry = await node.ScalarAsync("SELECT r.id FROM registration.resources r JOIN registration.studies s ON s.id = r.study_id WHERE s.study_instance_uid = $1", CtStudy);
        Assert.Equal(entry!.ToString(), ct["resourceId"]!.ToString());
        Assert.False(string.IsNullOrEmpty(ct["patientPseudonym"]?.ToString()));
        // Identity stays in the vault: the event carries the pseudonym, never the name or ID the PACS sent.
        foreach (var phi in new[] { "CompressedSamples", "1CT1", "4MR1" })
            Assert.DoesNotContain(phi, ct.ToJsonString() + announced[MrStudy].ToJsonString(), StringComparison.Ordinal);

        // The same instance again changes nothing and announces nothing; a changed one is a new version, announced.
        Assert.Equal(HttpStatusCode.OK, (await adapter.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("CT_small.dcm")))).StatusCode);
        var file = DicomFile.Open(Corpus.Path("MR_small.dcm"));
        file.Dataset.Add(DicomTags.StudyDescription, DicomVR.LO, "头部 平扫 corrected");
        using var changed = new MemoryStream();
        DicomWriter.Write(file, changed);
        Assert.Equal(HttpStatusCode.OK, (await adapter.PostAsync("/dicomweb/studies", Stow.Content(changed.ToArray()))).StatusCode);
        var next = (await node.ReceiveAsync(Queue, 1)).Single()["message"]!;
        Assert.Equal(MrStudy, next["studyInstanceUid"]!.ToString());
        Assert.Equal(0, (int)next["stored"]!);
        Assert.Equal(1, (int)next["newVersions"]!);
        Assert.Equal(1, (int)next["instanceCount"]!);
        await Task.Delay(1000);
        Assert.Equal(0, await node.CountAsync("SELECT count(*) FROM registration.outbox_messages WHERE sent_at IS NULL"));
        Assert.Equal(3, await node.CountAsync("SELECT count(*) FROM registration.outbox_messages WHERE message_type = 'MedImaging.Contracts.Registration.StudyInstancesStored'"));
    }
}
