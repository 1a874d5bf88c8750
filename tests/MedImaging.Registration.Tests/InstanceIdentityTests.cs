using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MedImaging.Dicom;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>
/// What makes an instance "the same again": its content, not its encoding (a PACS may send explicit big endian today
/// and implicit VR tomorrow), compared with every version held; and what an instance whose UID another study holds is told.
/// </summary>
public sealed class InstanceIdentityTests(RegistrationNode node) : IClassFixture<RegistrationNode>, IDisposable
{
    private const string StoredEvent = "MedImaging.Contracts.Registration.StudyInstancesStored";
    private readonly string _dir = Directory.CreateTempSubdirectory("medcat-encodings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // dcmtk's dcmconv re-encodes a corpus file nobody here wrote: +tb explicit big endian, +te explicit little, +ti implicit little.
    private byte[] Converted(string file, string option)
    {
        var output = Path.Combine(_dir, $"{Path.GetFileNameWithoutExtension(file)}{option}.dcm");
        var start = new ProcessStartInfo("dcmconv", [option, Corpus.Path(file), output]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"dcmconv {option} {file}: {error}");
        return File.ReadAllBytes(output);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, Guid Batch)> PushAsync(byte[] part)
    {
        var response = await node.Client("pacs-a", Roles.Adapter).PostAsync("/dicomweb/studies", Stow.Content(part));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, Guid.Parse(response.Headers.GetValues("X-Acquisition-Batch").Single()));
    }

    private async Task<string> OutcomeAsync(Guid batch) => (string)(await node.ScalarAsync("SELECT outcome FROM registration.acquisition_items WHERE batch_id = $1", batch))!;

    [Fact]
    public async Task BigEndianLittleEndianAndImplicitVRCopiesOfOneInstanceAreOneVersion()
    {
        // The ECG has private elements whose VR only the explicit encodings carry, and OW waveform data.
        const string file = "waveform_ecg.dcm";
        var sop = DicomFile.Open(Corpus.Path(file), DicomReaderOptions.MetadataOnly).Dataset.GetString(DicomTags.SOPInstanceUID)!;
        var study = DicomFile.Open(Corpus.Path(file), DicomReaderOptions.MetadataOnly).Dataset.GetString(DicomTags.StudyInstanceUID)!;
        var encodings = new[] { Converted(file, "+tb"), Converted(file, "+te"), Converted(file, "+ti") };

        var outcomes = new List<string>();
        for (var round = 0; round < 2; round++)
            foreach (var encoded in encodings)
            {
                var (status, body, batch) = await PushAsync(encoded);
                Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
                outcomes.Add(await OutcomeAsync(batch));
            }

        Assert.Equal(["Stored", "AlreadyStored", "AlreadyStored", "AlreadyStored", "AlreadyStored", "AlreadyStored"], outcomes);
        Assert.Equal(1, await node.CountAsync("""
            SELECT count(*) FROM registration.instance_versions v JOIN registration.instances i ON i.id = v.instance_id WHERE i.sop_instance_uid = $1
            """, sop));
        Assert.Equal(1, await node.CountAsync($"SELECT count(*) FROM registration.outbox_messages WHERE message_type = '{StoredEvent}' AND body::text LIKE $1", $"%{study}%"));
    }

    [Fact]
    public async Task ContentEqualToAnOlderVersionIsAlreadyStoredAndTheCurrentVersionStays()
    {
        var original = Corpus.Bytes("rtplan.dcm");
        var file = DicomFile.Open(Corpus.Path("rtplan.dcm"));
        file.Dataset.Add(DicomTags.StudyDescription, DicomVR.LO, "放疗计划 corrected");
        using var corrected = new MemoryStream();
        DicomWriter.Write(file, corrected);
        var sop = file.Dataset.GetString(DicomTags.SOPInstanceUID)!;

        var outcomes = new List<string>();
        foreach (var part in new[] { original, corrected.ToArray(), original, Converted("rtplan.dcm", "+tb") })
        {
            var (status, body, batch) = await PushAsync(part);
            Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
            outcomes.Add(await OutcomeAsync(batch));
        }

        // The old copy and its big-endian twin match version 1: no version 3, and the correction stays current.
        Assert.Equal(["Stored", "NewVersion", "AlreadyStored", "AlreadyStored"], outcomes);
        Assert.Equal(2, await node.CountAsync("SELECT current_version FROM registration.instances WHERE sop_instance_uid = $1", sop));
        Assert.Equal(2, await node.CountAsync("""
            SELECT count(*) FROM registration.instance_versions v JOIN registration.instances i ON i.id = v.instance_id WHERE i.sop_instance_uid = $1
            """, sop));
        Assert.Equal(1, await node.CountAsync("""
            SELECT version FROM registration.acquisition_items WHERE sop_instance_uid = $1 AND outcome = 'AlreadyStored' ORDER BY at LIMIT 1
            """, sop));
    }

    [Fact]
    public async Task AnInstanceWhoseUidAnotherStudyHoldsIsRefusedAsADuplicateNamingThatStudy()
    {
        var first = await PushAsync(Corpus.Bytes("CT_small.dcm"));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var file = DicomFile.Open(Corpus.Path("CT_small.dcm"));
        var heldIn = file.Dataset.GetString(DicomTags.StudyInstanceUID)!;
        var sop = file.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        file.Dataset.Add(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1234.77");
        file.Dataset.Add(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1234.77.1");
        using var moved = new MemoryStream();
        DicomWriter.Write(file, moved);

        var (status, body, batch) = await PushAsync(moved.ToArray());

        Assert.Equal(HttpStatusCode.Conflict, status);
        var failed = Stow.Items(body, "00081198").Single();
        Assert.Equal(0x0111, (int)failed["00081197"]!["Value"]![0]!);
        Assert.Equal(sop, Stow.Text(failed, "00081155"));
        // The acquisition log says what happened and where the UID is held, for the hospital's IT staff.
        var detail = (string)(await node.ScalarAsync("SELECT detail FROM registration.acquisition_items WHERE batch_id = $1", batch))!;
        Assert.Contains($"SOP Instance UID {sop} is already held in study {heldIn}", detail, StringComparison.Ordinal);
        Assert.Contains("1.2.826.0.1.3680043.10.1234.77", detail, StringComparison.Ordinal);
        Assert.Equal(0x0111, (int)(await node.ScalarAsync("SELECT failure_reason FROM registration.acquisition_items WHERE batch_id = $1", batch))!);
        Assert.Equal(0, await node.CountAsync("SELECT count(*) FROM registration.studies WHERE study_instance_uid = '1.2.826.0.1.3680043.10.1234.77'"));
    }
}
