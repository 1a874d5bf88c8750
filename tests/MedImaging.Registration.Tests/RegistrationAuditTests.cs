using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.Dicom;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Registration's audit records (issue 11 item 4), as the outbox holds them for the node's audit trail: exactly one per
/// action performed through the API, with the actor, the resource and the outcome; none for reading an internal entry.
/// </summary>
public sealed class RegistrationAuditTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private const string AuditType = "MedImaging.Contracts.Audit.AuditEventRecorded";

    private HttpClient Cataloguer => node.Client("audit-cat", Roles.Cataloguer);
    private HttpClient Reviewer => node.Client("audit-rev", Roles.Reviewer);
    private HttpClient Publisher => node.Client("audit-pub", Roles.Publisher);

    /// <summary>The audit records in the outbox for an action (and a resource id), as JSON.</summary>
    private async Task<List<JsonNode>> AuditAsync(string action, object? resourceId = null)
    {
        var rows = await node.StringsAsync($"""
            SELECT body::text FROM registration.outbox_messages WHERE message_type = '{AuditType}' AND body ->> 'action' = '{action}'
            {(resourceId is null ? "" : $"AND body -> 'resource' ->> 'id' = '{resourceId}'")} ORDER BY sequence
            """);
        return [.. rows.Select(r => JsonNode.Parse(r)!)];
    }

    private async Task<JsonNode> OneAsync(string action, object resourceId)
    {
        var rows = await AuditAsync(action, resourceId);
        Assert.True(rows.Count == 1, $"{rows.Count} {action} records for {resourceId}");
        return rows[0];
    }

    private static string Detail(JsonNode record, string key) => record["details"]![key]!.ToString();

    [Fact]
    public async Task EachIngestRequestIsOneBatchRecordWithItsCountsAndNoPatientData()
    {
        var adapter = node.Host.CreateClient().WithToken(TestTokens.Create(node.Node, RegistrationNode.MappedAdapter, Roles.Adapter));
        var response = await adapter.PostAsync("/dicomweb/studies",
            Stow.Content(Corpus.Bytes("CT_small.dcm"), Corpus.Bytes("MR_small.dcm"), Corpus.Bytes("CT_small.dcm"), Encoding.ASCII.GetBytes("not DICOM")));
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var batch = response.Headers.GetValues("X-Acquisition-Batch").Single();

        var record = await OneAsync("ingest-batch", batch);
        Assert.Equal("registration", record["service"]!.ToString());
        Assert.Equal(RegistrationNode.MappedAdapter, record["actor"]!["subjectId"]!.ToString());
        Assert.Equal("acquisition-batch", record["resource"]!["kind"]!.ToString());
        Assert.Equal(ClearanceNode.A, record["resource"]!["institution"]!.ToString());
        Assert.Equal("success", record["outcome"]!["result"]!.ToString());
        Assert.Equal("StowRs", Detail(record, "channel"));
        Assert.Equal("4", Detail(record, "received"));
        Assert.Equal("2", Detail(record, "stored"));
        Assert.Equal("1", Detail(record, "duplicate"));
        Assert.Equal("1", Detail(record, "failed"));
        // Four instances, one record: not one per instance.
        Assert.Single(await AuditAsync("ingest-batch", batch));
        var text = record.ToJsonString();
        Assert.DoesNotContain("CompressedSamples", text, StringComparison.Ordinal); // the files' PatientName
        Assert.DoesNotContain("1.3.6.1.4.1.5962", text, StringComparison.Ordinal);  // nor their UIDs

        // DICOM JSON: one record per push too.
        var json = new StringContent("[" + DicomJsonWriter.Serialize(DicomFile.Open(Corpus.Path("rtplan.dcm"), DicomReaderOptions.MetadataOnly).Dataset) + "]",
            Encoding.UTF8, "application/dicom+json");
        var pushed = await adapter.PostAsync("/instances/json", json);
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        var pushRecord = await OneAsync("ingest-batch", pushed.Headers.GetValues("X-Acquisition-Batch").Single());
        Assert.Equal("1", Detail(pushRecord, "stored"));
    }

    [Fact]
    public async Task ARequestRefusedWholeIsAuditedAsFailed()
    {
        var adapter = node.Host.CreateClient().WithToken(TestTokens.Create(node.Node, "pacs-refused", Roles.Adapter));
        var stow = await adapter.PostAsync("/dicomweb/studies", new ByteArrayContent(Corpus.Bytes("CT_small.dcm")) { Headers = { ContentType = new("application/dicom") } });
        var json = await adapter.PostAsync("/instances/json", new StringContent("{}", Encoding.UTF8, "text/plain"));
        var empty = await adapter.PostAsync("/instances/json", new StringContent("[]", Encoding.UTF8, "application/dicom+json"));
        using var limited = node.WithSettings(new Dictionary<string, string?> { ["Registration:Ingest:MaxPartsPerRequest"] = "1" });
        using var limitedAdapter = limited.CreateClient().WithToken(TestTokens.Create(node.Node, "pacs-refused", Roles.Adapter));
        var tooMany = await limitedAdapter.PostAsync("/dicomweb/studies", Stow.Content(Encoding.ASCII.GetBytes("x"), Encoding.ASCII.GetBytes("y")));

        foreach (var (response, status) in new[]
        {
            (stow, HttpStatusCode.UnsupportedMediaType), (json, HttpStatusCode.UnsupportedMediaType), (empty, HttpStatusCode.BadRequest),
            (tooMany, HttpStatusCode.RequestEntityTooLarge),
        })
        {
            Assert.Equal(status, response.StatusCode);
            var record = await OneAsync("ingest-batch", response.Headers.GetValues("X-Acquisition-Batch").Single());
            Assert.Equal("failed", record["outcome"]!["result"]!.ToString());
            Assert.False(string.IsNullOrEmpty(record["outcome"]!["reason"]?.ToString()));
            Assert.Equal("0", Detail(record, "stored"));
        }
    }

    [Fact]
    public async Task EveryWorkflowStepOfAnEntryIsOneRecordWithTheEntryAsResource()
    {
        var created = await Cataloguer.PostAsJsonAsync("/resources", new { kind = "dataset", values = ClearanceNode.Dataset("audit steps", "internal"), institution = ClearanceNode.A });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.ToString();
        async Task Act(HttpClient client, string verb, object? body = null)
        {
            var response = await client.PostAsJsonAsync($"/resources/{id}/{verb}", body ?? new { });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{verb}: {await response.Content.ReadAsStringAsync()}");
        }
        await Act(Cataloguer, "catalogue");
        await Act(Cataloguer, "register");
        await Act(Reviewer, "reject", new { reason = "摘要不完整" });
        await Act(Cataloguer, "revise");
        await Act(Cataloguer, "register");
        await Act(Reviewer, "approve");
        await Act(Publisher, "publish");
        await Act(Publisher, "withdraw", new { reason = "数据集更新" });
        var conflict = await Publisher.PostAsJsonAsync($"/resources/{id}/publish", new { });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var create = await OneAsync("entry-create", id);
        Assert.Equal("audit-cat", create["actor"]!["subjectId"]!.ToString());
        Assert.Equal(["cataloguer"], create["actor"]!["roles"]!.AsArray().Select(r => r!.ToString()));
        Assert.Equal("catalogue-entry", create["resource"]!["kind"]!.ToString());
        Assert.Equal("internal", create["resource"]!["classification"]!.ToString());
        Assert.Equal(ClearanceNode.A, create["resource"]!["institution"]!.ToString());
        Assert.Equal("catalogued", Detail(create, "to"));
        Assert.Single(await AuditAsync("entry-catalogue", id));
        Assert.Equal(2, (await AuditAsync("entry-register", id)).Count);
        var oid = (await AuditAsync("entry-register", id))[0]["resource"]!["identifier"]!.ToString();
        Assert.Contains(".2.2.1.", oid, StringComparison.Ordinal);
        var reject = await OneAsync("entry-reject", id);
        Assert.Equal("audit-rev", reject["actor"]!["subjectId"]!.ToString());
        Assert.DoesNotContain("摘要不完整", reject.ToJsonString(), StringComparison.Ordinal); // free text stays out of the trail
        Assert.Equal("2", Detail(await OneAsync("entry-revise", id), "recordVersion"));
        Assert.Single(await AuditAsync("entry-approve", id));
        Assert.Equal(2, (await AuditAsync("entry-publish", id)).Count);
        var failed = (await AuditAsync("entry-publish", id)).Single(r => r["outcome"]!["result"]!.ToString() == "failed");
        Assert.Contains("conflict", failed["outcome"]!["reason"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("withdrawn", Detail(await OneAsync("entry-withdraw", id), "to"));
    }

    [Fact]
    public async Task ABulkActionIsOneRecordForTheRequestAndOneForEachEntryItMoved()
    {
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var created = await Cataloguer.PostAsJsonAsync("/resources", new { kind = "dataset", values = ClearanceNode.Dataset($"bulk {i}", "internal"), institution = ClearanceNode.A });
            var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.ToString();
            Assert.Equal(HttpStatusCode.OK, (await Cataloguer.PostAsJsonAsync($"/resources/{id}/register", new { })).StatusCode);
            ids.Add(id);
        }
        var missing = Guid.NewGuid().ToString();
        var before = (await AuditAsync("bulk-approve")).Count;

        var approved = await Reviewer.PostAsJsonAsync("/review-queue/approve", new { ids = ids.Append(missing) });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var published = await Publisher.PostAsJsonAsync("/review-queue/publish", new { ids });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);

        var bulk = await AuditAsync("bulk-approve");
        Assert.Equal(before + 1, bulk.Count);
        var record = bulk[^1];
        Assert.Equal("audit-rev", record["actor"]!["subjectId"]!.ToString());
        Assert.Equal("3", Detail(record, "requested"));
        Assert.Equal(ids.Order(), Detail(record, "approved").Split(',').Order());
        Assert.Equal(missing, Detail(record, "not-found"));
        var publish = (await AuditAsync("bulk-publish")).Where(r => Detail(r, "requested") == "2" && Detail(r, "published").Contains(ids[0], StringComparison.Ordinal)).ToList();
        Assert.Single(publish);
        foreach (var id in ids)
        {
            Assert.Single(await AuditAsync("entry-approve", id));
            Assert.Single(await AuditAsync("entry-publish", id));
        }
    }

    [Fact]
    public async Task ReadsOfRestrictedEntriesAreAuditedAndReadsOfInternalOnesAreNot()
    {
        var restricted = await ClearanceNode.CreateAsync(Cataloguer, ClearanceNode.A, "restricted", "audited read");
        var confidential = await ClearanceNode.CreateAsync(Cataloguer, ClearanceNode.A, "confidential", "audited read 2");
        var internalEntry = await ClearanceNode.CreateAsync(Cataloguer, ClearanceNode.A, "internal", "unaudited read");
        var regulator = node.Client("audit-reg", Roles.Regulator);

        Assert.Equal(HttpStatusCode.OK, (await regulator.GetAsync($"/resources/{restricted}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await regulator.GetAsync($"/resources/{restricted}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await regulator.GetAsync($"/resources/{internalEntry}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await regulator.GetAsync($"/resources/{internalEntry}/history")).StatusCode);

        var reads = await AuditAsync("entry-read", restricted);
        Assert.Equal(["detail", "history"], reads.Select(r => Detail(r, "view")));
        Assert.All(reads, r => Assert.Equal("restricted", r["resource"]!["classification"]!.ToString()));
        Assert.All(reads, r => Assert.Equal("audit-reg", r["actor"]!["subjectId"]!.ToString()));
        Assert.Empty(await AuditAsync("entry-read", internalEntry));

        // A list page: one record for each restricted-or-above entry on it, none for the others.
        var page = JsonNode.Parse(await regulator.GetStringAsync("/resources?pageSize=500"))!["items"]!.AsArray();
        Assert.Contains(page, i => i!["id"]!.ToString() == internalEntry.ToString());
        Assert.Equal(["detail", "history", "list"], (await AuditAsync("entry-read", restricted)).Select(r => Detail(r, "view")));
        Assert.Equal(["list"], (await AuditAsync("entry-read", confidential)).Select(r => Detail(r, "view")));
        Assert.Empty(await AuditAsync("entry-read", internalEntry));
    }

    [Fact]
    public async Task AFetchOfAHiddenEntryIsAuditedAsDeniedWhileTheCallerSeesNotFound()
    {
        var entry = await ClearanceNode.CreateAsync(Cataloguer, ClearanceNode.A, "internal", "hidden fetch");
        var otherHospital = node.Host.CreateClient().WithToken(TestTokens.CreateScoped(node.Node, "cat-b", SecurityLevels.Confidential, ClearanceNode.B, Roles.Cataloguer));

        Assert.Equal(HttpStatusCode.NotFound, (await otherHospital.GetAsync($"/resources/{entry}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherHospital.PostAsJsonAsync($"/resources/{entry}/register", new { })).StatusCode);

        var read = await OneAsync("entry-read", entry);
        Assert.Equal("denied", read["outcome"]!["result"]!.ToString());
        Assert.Equal("hidden by clearance/institution", read["outcome"]!["reason"]!.ToString());
        Assert.Equal(ClearanceNode.B, read["actor"]!["institution"]!.ToString());
        Assert.Equal(ClearanceNode.A, read["resource"]!["institution"]!.ToString());
        var register = await OneAsync("entry-register", entry);
        Assert.Equal("denied", register["outcome"]!["result"]!.ToString());
    }

    [Fact]
    public async Task PhiVaultReadsAndKeyRotationsAreEachOneRecord()
    {
        var admin = node.Client("audit-admin", Roles.Admin);
        var readsBefore = (await AuditAsync("phi-read")).Count;
        var rotationsBefore = (await AuditAsync("phi-key-rotation")).Count;

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/phi-vault/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/phi-vault/rotation?pageSize=1&maxPages=3", null)).StatusCode);

        var reads = await AuditAsync("phi-read");
        Assert.Equal(readsBefore + 1, reads.Count);
        Assert.Equal("audit-admin", reads[^1]["actor"]!["subjectId"]!.ToString());
        Assert.Equal("phi-vault", reads[^1]["resource"]!["kind"]!.ToString());
        var rotations = await AuditAsync("phi-key-rotation");
        Assert.Equal(rotationsBefore + 1, rotations.Count);
        Assert.Equal("success", rotations[^1]["outcome"]!["result"]!.ToString());
        Assert.NotNull(rotations[^1]["details"]!["resealed"]);
    }
}
