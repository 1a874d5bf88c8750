using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace MedImaging.Metadata.Tests;

/// <summary>
/// Metadata's schema, classification and identifier changes, each one audit event in the Metadata outbox, written with
/// the change; a refused change (400, 404, 409) writes none, because nothing changed.
/// </summary>
public sealed class MetadataAuditTests(MetadataFixture fx) : IClassFixture<MetadataFixture>
{
    private const string Schema = "metadata-schema-change";
    private const string Classification = "classification-change";
    private const string Identifier = "identifier-change";

    [Fact]
    public async Task EverySchemaChangeThroughTheApiIsOneAuditRecord()
    {
        await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets", new { code = "audited", nameZh = "审计", nameEn = "Audited" }),
            Schema, "metadata-set", "set:audited", "audited", "set-created");

        var v1 = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets/audited/versions", new
        {
            changeNote = "first",
            migration = new { added = new[] { new { elementId = "scanner", nameZh = "扫描设备", nameEn = "Scanner", dataType = "String", obligation = "Optional", maxOccurs = 1 } } },
        }), Schema, "metadata-set-version", "set:audited/v1", "audited/v1", "version-created");
        Assert.Equal(("1", "1", "1"), (Detail(v1, "version"), Detail(v1, "elements"), Detail(v1, "added")));

        var element = new { element = new { nameZh = "站点", nameEn = "Station", dataType = "String", obligation = "Optional", maxOccurs = 1 }, reason = "asked" };
        var added = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Put, "/sets/audited/versions/1/elements/station", element),
            Schema, "metadata-element", "set:audited/v1/element:station", "audited/v1/station", "element-added");
        Assert.Equal("2", Detail(added, "elements"));
        await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Put, "/sets/audited/versions/1/elements/station", element),
            Schema, "metadata-element", "set:audited/v1/element:station", "audited/v1/station", "element-changed");
        await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Put, "/sets/audited/versions/1/entities/site", new { entity = new { nameZh = "地点", nameEn = "Site" }, reason = "asked" }),
            Schema, "metadata-entity", "set:audited/v1/entity:site", "audited/v1/site", "entity-added");
        var removed = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Delete, "/sets/audited/versions/1/elements/station?reason=unused", null),
            Schema, "metadata-element", "set:audited/v1/element:station", "audited/v1/station", "element-removed");
        Assert.Equal("1", Detail(removed, "elements"));

        var first = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets/audited/versions/1/activate", null),
            Schema, "metadata-set-version", "set:audited/v1", "audited/v1", "version-activated");
        Assert.Null(Detail(first, "deprecatedVersion"));
        await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets/audited/versions", new { changeNote = "second" }),
            Schema, "metadata-set-version", "set:audited/v2", "audited/v2", "version-created");
        var second = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets/audited/versions/2/activate", null),
            Schema, "metadata-set-version", "set:audited/v2", "audited/v2", "version-activated");
        Assert.Equal("1", Detail(second, "deprecatedVersion"));

        // A dry run changes nothing and records nothing; the real migration is recorded with its counts.
        await ExpectNoneAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets/audited/versions/2/migrate-records", new { dryRun = true }), HttpStatusCode.OK);
        var migrated = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets/audited/versions/2/migrate-records", new { dryRun = false }),
            Schema, "metadata-set-version", "set:audited/v2", "audited/v2", "records-migrated");
        Assert.Equal(("0", "0"), (Detail(migrated, "migrated"), Detail(migrated, "failed")));

        await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets/audited/versions/2/deprecate", null),
            Schema, "metadata-set-version", "set:audited/v2", "audited/v2", "version-deprecated");
    }

    [Fact]
    public async Task EveryClassificationChangeThroughTheApiIsOneAuditRecord()
    {
        var revision = (await fx.Reader.GetFromJsonAsync<JsonObject>("/classification"))!["revision"]!.GetValue<int>();
        var node = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/classification/nodes", new { parentCode = "5", code = "77", nameZh = "审计部位", nameEn = "Audit region" }),
            Classification, "classification-node", "scheme:imaging/5.77", "5.77", "node-added");
        Assert.Equal(((revision + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "Subcategory"), (Detail(node, "revision"), Detail(node, "level")));
        await SendAsync(fx.Admin, HttpMethod.Post, "/classification/nodes", new { parentCode = "5.77", code = "1", nameZh = "细", nameEn = "Detail" });

        await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Patch, "/classification/nodes/5.77", new { nameZh = "审计部位（更名）" }),
            Classification, "classification-node", "scheme:imaging/5.77", "5.77", "node-renamed");
        var withdrawn = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Patch, "/classification/nodes/5.77", new { withdrawn = true, reason = "test" }),
            Classification, "classification-node", "scheme:imaging/5.77", "5.77", "node-withdrawn");
        Assert.Equal("2", Detail(withdrawn, "nodes")); // the node and its 细目

        var ruleAdded = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Put, "/classification/dicom-mapping", new { attribute = "BodyPartExamined", value = "AUDITPART", code = "3" }),
            Classification, "dicom-classification-rule", "scheme:imaging/BodyPartExamined=AUDITPART", "BodyPartExamined=AUDITPART", "rule-added");
        Assert.Equal("3", Detail(ruleAdded, "code"));
        var ruleChanged = await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Put, "/classification/dicom-mapping", new { attribute = "BodyPartExamined", value = "AUDITPART", code = "2" }),
            Classification, "dicom-classification-rule", "scheme:imaging/BodyPartExamined=AUDITPART", "BodyPartExamined=AUDITPART", "rule-changed");
        Assert.Equal(("2", "3"), (Detail(ruleChanged, "code"), Detail(ruleChanged, "previousCode")));
        await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Put, "/classification/dicom-mapping", new { attribute = "BodyPartExamined", value = "AUDITPART", code = (string?)null }),
            Classification, "dicom-classification-rule", "scheme:imaging/BodyPartExamined=AUDITPART", "BodyPartExamined=AUDITPART", "rule-removed");
    }

    [Fact]
    public async Task IssuingAndWithdrawingAnIdentifierAreEachOneAuditRecordOfWhoeverDidIt()
    {
        // Cataloguers issue (Registration asks with the registering cataloguer's token); only admins withdraw.
        var issue = await SendAsync(fx.Reader, HttpMethod.Post, "/identifiers", new { classificationCode = "2.2.2" });
        var oid = JsonDocument.Parse(await issue.Response.Content.ReadAsStringAsync()).RootElement.GetProperty("oid").GetString()!;
        var issued = await ExpectAsync(issue, Identifier, "resource-identifier", $"identifier:{oid}", oid, "issued", actor: "cataloguer-1");
        Assert.Equal(("2.2.2", oid.Split('.')[^1]), (Detail(issued, "classificationCode"), Detail(issued, "serial")));

        await ExpectAsync(await SendAsync(fx.Admin, HttpMethod.Post, $"/identifiers/{oid}/withdraw", new { reason = "duplicate" }),
            Identifier, "resource-identifier", $"identifier:{oid}", oid, "withdrawn");
    }

    [Fact]
    public async Task ARefusedChangeChangesNothingAndRecordsNothing()
    {
        (await fx.Admin.PostAsJsonAsync("/sets", new { code = "refused", nameZh = "拒绝", nameEn = "Refused" })).EnsureSuccessStatusCode();
        (await fx.Admin.PostAsJsonAsync("/sets/refused/versions", new { changeNote = "v1" })).EnsureSuccessStatusCode();

        await ExpectNoneAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets", new { code = "refused", nameZh = "拒绝", nameEn = "Refused" }), HttpStatusCode.Conflict);
        await ExpectNoneAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets/refused/versions/1/deprecate", null), HttpStatusCode.Conflict);
        await ExpectNoneAsync(await SendAsync(fx.Admin, HttpMethod.Put, "/sets/refused/versions/1/elements/orphan",
            new { element = new { nameZh = "孤儿", nameEn = "Orphan", entityId = "nowhere", dataType = "String" } }), HttpStatusCode.BadRequest);
        await ExpectNoneAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/sets/refused/versions/9/activate", null), HttpStatusCode.NotFound);
        await ExpectNoneAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/classification/nodes", new { parentCode = "2.3", code = "07", nameZh = "x", nameEn = "x" }), HttpStatusCode.BadRequest);
        await ExpectNoneAsync(await SendAsync(fx.Admin, HttpMethod.Put, "/classification/dicom-mapping", new { attribute = "Modality", value = "OCT", code = "42" }), HttpStatusCode.BadRequest);
        await ExpectNoneAsync(await SendAsync(fx.Admin, HttpMethod.Post, "/identifiers", new { classificationCode = "2.2" }), HttpStatusCode.BadRequest);

        // A caller without the role is refused before the handler: the refusal is audited, no change is.
        var forbidden = await SendAsync(fx.Reader, HttpMethod.Post, "/sets", new { code = "not-mine", nameZh = "x", nameEn = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
        Assert.Equal(["access-forbidden"], (await AuditsAsync(forbidden.CorrelationId)).Select(e => e.GetProperty("action").GetString()));
    }

    private sealed record Sent(HttpResponseMessage Response, string CorrelationId);

    private static async Task<Sent> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        var correlation = $"meta-audit-{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Correlation-Id", correlation);
        return new Sent(await client.SendAsync(request), correlation);
    }

    private async Task<JsonElement> ExpectAsync(Sent sent, string action, string kind, string id, string identifier, string change, string actor = "meta-admin")
    {
        Assert.True(sent.Response.IsSuccessStatusCode, $"{sent.Response.RequestMessage!.Method} {sent.Response.RequestMessage.RequestUri}: {(int)sent.Response.StatusCode} {await sent.Response.Content.ReadAsStringAsync()}");
        var e = Assert.Single(await AuditsAsync(sent.CorrelationId));
        Assert.Equal(action, e.GetProperty("action").GetString());
        Assert.Equal("metadata", e.GetProperty("service").GetString());
        Assert.Equal("success", e.GetProperty("outcome").GetProperty("result").GetString());
        Assert.Equal(actor, e.GetProperty("actor").GetProperty("subjectId").GetString());
        Assert.Equal(fx.Node.Node["nodeId"]!.GetValue<string>(), e.GetProperty("originNode").GetString());
        var resource = e.GetProperty("resource");
        Assert.Equal((kind, id, identifier), (resource.GetProperty("kind").GetString(), resource.GetProperty("id").GetString(), resource.GetProperty("identifier").GetString()));
        Assert.Equal(change, Detail(e, "change"));
        return e;
    }

    private async Task ExpectNoneAsync(Sent sent, HttpStatusCode status)
    {
        Assert.Equal(status, sent.Response.StatusCode);
        Assert.Empty(await AuditsAsync(sent.CorrelationId));
    }

    private static string? Detail(JsonElement e, string key) =>
        e.GetProperty("details").TryGetProperty(key, out var value) ? value.GetString() : null;

    private async Task<List<JsonElement>> AuditsAsync(string correlationId)
    {
        await using var conn = new NpgsqlConnection(fx.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT body::text FROM metadata.outbox_messages WHERE message_type = 'MedImaging.Contracts.Audit.AuditEventRecorded' AND correlation_id = $1", conn);
        cmd.Parameters.Add(new() { Value = correlationId });
        var events = new List<JsonElement>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) events.Add(JsonDocument.Parse(reader.GetString(0)).RootElement);
        return events;
    }
}
