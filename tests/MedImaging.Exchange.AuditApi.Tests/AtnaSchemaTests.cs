using System.Net;
using System.Xml.Linq;
using MedImaging.Contracts.Audit;
using MedImaging.Exchange.Audit.Export;
using MedImaging.TestSupport;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>
/// The ATNA export: one DICOM audit message per event, and every action's message valid against the PS3.15 A.5.1 schema,
/// checked by two independent validators (jing on the standard's compact syntax, xmllint on its XML syntax).
/// </summary>
public sealed class AtnaSchemaTests(AuditApiFixture fx) : IClassFixture<AuditApiFixture>
{
    private static readonly string SchemaDirectory = Path.Combine(RepositoryRoot.Path, "src", "Services", "Exchange", "Audit", "Export", "Schema");
    private static readonly string Rnc = Path.Combine(SchemaDirectory, "dicom-audit-message.rnc");
    private static readonly string Rng = Path.Combine(SchemaDirectory, "dicom-audit-message.rng");

    private static readonly string[] Kinds = ["catalogue-entry", "user", "phi-key", "metadata-set", "acquisition-batch", "audit-trail", "client"];
    private static readonly string[] Outcomes = [AuditOutcome.SuccessCode, AuditOutcome.DeniedCode, AuditOutcome.FailedCode];

    // One row per action of the closed list, varied so that every optional part of a message is written by some of them.
    private static Row[] OnePerAction() => [.. AuditActions.All.Order(StringComparer.Ordinal).Select((action, i) => new Row
    {
        Action = action,
        OccurredAt = AuditRows.Base.AddMinutes(i),
        Service = action is AuditActions.SignIn or AuditActions.TokenIssued ? "gateway" : "registration",
        ActorId = action == AuditActions.Unauthenticated ? "anonymous" : $"user-{i}",
        ActorName = i % 3 == 0 ? null : $"用户 <{i}> & \"co\"",
        Roles = action == AuditActions.Unauthenticated ? [] : i % 2 == 0 ? ["cataloguer"] : ["regulator", "admin"],
        ClientId = i % 4 == 0 ? null : "portal",
        ActorInstitution = i % 2 == 0 ? "H001" : null,
        ResourceKind = i % 5 == 4 ? null : Kinds[i % Kinds.Length],
        ResourceId = i % 3 == 1 ? null : $"r-{i}",
        ResourceIdentifier = i % 3 == 2 ? null : $"1.2.156.{i}",
        ResourceClassification = i % 2 == 1 ? "confidential" : null,
        ResourceInstitution = i % 3 == 0 ? "H002" : null,
        Outcome = Outcomes[i % 3],
        OutcomeReason = i % 3 == 0 ? null : $"reason {i}\u0001 <not xml>",
        SourceAddress = i % 4 == 1 ? null : "2001:db8::1",
        Details = i % 2 == 0 ? "{}" : $$"""{"count": "{{i}}", "xml": "</AuditMessage>", "ctl": "\u0002"}""",
    })];

    [Fact]
    public void EveryAuditedActionHasADicomEventCode() =>
        Assert.Equal(AuditActions.All.Order(StringComparer.Ordinal), AtnaCodes.Events.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public async Task EveryActionsMessageIsValidAgainstThePs315A51Schema()
    {
        var rows = await fx.SeedOnceAsync("atna", OnePerAction());
        var messages = await ExportAsync();
        Assert.Equal(rows.Count, messages.Count);
        Assert.Equal(AuditActions.All.Order(StringComparer.Ordinal), messages.Select(ActionOf).Order(StringComparer.Ordinal));

        var files = Write(messages, "valid");
        var (jing, jingOutput) = await Tools.RunAsync("jing", ["-c", Rnc, .. files]);
        Assert.True(jing == 0, $"jing: {jingOutput}");
        var (xmllint, xmllintOutput) = await Tools.RunAsync("xmllint", ["--noout", "--relaxng", Rng, .. files]);
        Assert.True(xmllint == 0, $"xmllint: {xmllintOutput}");
        Assert.Equal(files.Count, xmllintOutput.Split('\n').Count(l => l.EndsWith(" validates", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(AuditActions.SignIn, "110114", "E", "110122")]
    [InlineData(AuditActions.TokenIssued, "110114", "E", "110122")]
    [InlineData(AuditActions.Forbidden, "110113", "E", "110132")]
    [InlineData(AuditActions.IngestBatch, "110107", "C", null)]
    [InlineData(AuditActions.EntryCreate, "110103", "C", null)]
    [InlineData(AuditActions.EntryPublish, "110103", "U", null)]
    [InlineData(AuditActions.EntryRead, "110103", "R", null)]
    [InlineData(AuditActions.PhiRead, "110110", "R", null)]
    [InlineData(AuditActions.PhiKeyRotation, "110113", "E", "110129")]
    [InlineData(AuditActions.AccountChange, "110113", "U", "110137")]
    [InlineData(AuditActions.MetadataSchemaChange, "110100", "U", null)]
    [InlineData(AuditActions.AuditExport, "110101", "R", null)]
    public async Task AnActionReadsAsItsDicomEvent(string action, string eventId, string actionCode, string? eventType)
    {
        var rows = await fx.SeedOnceAsync("atna", OnePerAction());
        var row = rows.Single(r => r.Action == action);
        var message = (await ExportAsync()).Single(m => ActionOf(m) == action);
        var identification = message.Element("EventIdentification")!;
        Assert.Equal(eventId, (string?)identification.Element("EventID")!.Attribute("csd-code"));
        Assert.Equal("DCM", (string?)identification.Element("EventID")!.Attribute("codeSystemName"));
        Assert.Equal(actionCode, (string?)identification.Attribute("EventActionCode"));
        // The rows cycle through the outcomes: success is nominal (0), a refusal a minor failure (4), a failure serious (8).
        Assert.Equal(row.Outcome switch { "success" => "0", "denied" => "4", _ => "8" }, (string?)identification.Attribute("EventOutcomeIndicator"));
        Assert.Equal(row.OutcomeReason is null ? null : AtnaAuditExport.Clean(row.OutcomeReason), (string?)identification.Element("EventOutcomeDescription"));
        var dcmTypes = identification.Elements("EventTypeCode").Where(e => (string?)e.Attribute("codeSystemName") == "DCM").Select(e => (string?)e.Attribute("csd-code"));
        Assert.Equal(eventType is null ? [] : [eventType], dcmTypes);

        var actor = message.Elements("ActiveParticipant").First();
        Assert.Equal(row.ActorId, (string?)actor.Attribute("UserID"));
        Assert.Equal("true", (string?)actor.Attribute("UserIsRequestor"));
        Assert.Equal(row.ActorRoles, actor.Elements("RoleIDCode").Select(r => (string)r.Attribute("csd-code")!));
        Assert.Equal($"hebei/{row.Service}", (string?)message.Element("AuditSourceIdentification")!.Attribute("AuditSourceID"));
    }

    [Fact]
    public async Task TheValidatorsRefuseAMessageThatBreaksTheSchema()
    {
        await fx.SeedOnceAsync("atna", OnePerAction());
        var message = (await ExportAsync()).First(m => ActionOf(m) == AuditActions.SignIn);
        var noRequestor = new XElement(message);
        noRequestor.Elements("ActiveParticipant").First().Attribute("UserIsRequestor")!.Remove();
        var badOutcome = new XElement(message);
        badOutcome.Element("EventIdentification")!.SetAttributeValue("EventOutcomeIndicator", "1");
        var misplaced = new XElement(message);
        var source = misplaced.Element("AuditSourceIdentification")!;
        source.Remove();
        misplaced.AddFirst(source);

        foreach (var (name, broken) in new[] { ("no-requestor", noRequestor), ("bad-outcome", badOutcome), ("misplaced-source", misplaced) })
        {
            var file = Write([broken], name).Single();
            var (jing, jingOutput) = await Tools.RunAsync("jing", "-c", Rnc, file);
            Assert.True(jing != 0, $"jing accepted {name}: {jingOutput}");
            var (xmllint, xmllintOutput) = await Tools.RunAsync("xmllint", "--noout", "--relaxng", Rng, file);
            Assert.True(xmllint != 0, $"xmllint accepted {name}: {xmllintOutput}");
        }
    }

    [Fact]
    public async Task TheExportIsOneXmlDocumentWithOneMessagePerEvent()
    {
        var rows = await fx.SeedOnceAsync("atna", OnePerAction());
        using var client = fx.Regulator();
        using var response = await client.GetAsync($"/audit/export?format=atna&{AuditRows.Window}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xml", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var doc = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("AuditMessages", doc.Root!.Name.LocalName);
        Assert.Equal("hebei", (string?)doc.Root.Attribute("node"));
        Assert.Equal(rows.Count, doc.Root.Elements("AuditMessage").Count());
        // Each message is preceded by its place in the chain.
        var comments = doc.Root.Nodes().OfType<XComment>().Select(c => c.Value).ToList();
        Assert.Equal(rows.Select(r => $" sequence {r.Sequence} event {r.EventId} hash {Convert.ToHexStringLower(r.Hash)} "), comments);
    }

    private async Task<List<XElement>> ExportAsync()
    {
        using var client = fx.Regulator();
        using var response = await client.GetAsync($"/audit/export?format=atna&{AuditRows.Window}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements("AuditMessage")];
    }

    private static string ActionOf(XElement message) => (string)message.Element("EventIdentification")!.Elements("EventTypeCode")
        .Single(e => (string?)e.Attribute("codeSystemName") == AtnaCodes.ActionSystem).Attribute("csd-code")!;

    // Each message as its own document, as an audit record repository receives it.
    private List<string> Write(IEnumerable<XElement> messages, string prefix)
    {
        var files = new List<string>();
        foreach (var (message, i) in messages.Select((m, i) => (m, i)))
        {
            var file = Path.Combine(fx.Node.Directory, $"{prefix}-{i:D2}-{ActionOf(message)}.xml");
            new XDocument(new XDeclaration("1.0", "UTF-8", null), message).Save(file);
            files.Add(file);
        }
        return files;
    }
}
