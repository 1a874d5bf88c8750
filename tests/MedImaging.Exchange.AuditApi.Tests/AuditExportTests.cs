using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Audit;
using MedImaging.Exchange.Audit;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>CSV and JSON lines exports: contents checked against the inserted rows, the CSV read by Python's csv module.</summary>
public sealed class AuditExportTests(AuditApiFixture fx) : IClassFixture<AuditApiFixture>
{
    private const string UserAgent = "Agent \"X\", v1";
    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"x\")";

    private Task<IReadOnlyList<AuditRecord>> SeedAsync() => fx.SeedOnceAsync("export",
        new Row { Action = AuditActions.PhiRead, ActorName = "张伟", UserAgent = UserAgent, Outcome = AuditOutcome.FailedCode, OutcomeReason = "line1\nline2",
            Details = """{"count": "3", "note": "a,b"}""", ActorInstitution = "H001" },
        new Row { Action = AuditActions.EntryRead, OccurredAt = AuditRows.Base.AddHours(1), ActorName = Formula, Roles = ["cataloguer", "reviewer"] },
        new Row { Action = AuditActions.EntryRead, OccurredAt = AuditRows.Base.AddDays(-40) });

    [Fact]
    public async Task CsvIsRfc4180InUtf8WithBomAndOneRowPerEvent()
    {
        var rows = await SeedAsync();
        using var client = fx.Regulator();
        using var response = await client.GetAsync($"/audit/export?format=csv&{AuditRows.Window}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches(@"^audit-hebei-\d{8}T\d{6}Z\.csv$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "");

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith(string.Join(',', Audit.Export.CsvAuditExport.Columns) + "\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);

        // An independent reader: Python's csv module, with the BOM-aware codec Excel-minded tools use.
        var file = Path.Combine(fx.Node.Directory, "export.csv");
        await File.WriteAllBytesAsync(file, bytes);
        var (code, output) = await Tools.RunAsync("/usr/bin/python3", "-c",
            "import csv, json, sys; f = open(sys.argv[1], encoding='utf-8-sig', newline=''); print(json.dumps(list(csv.DictReader(f, strict=True)), ensure_ascii=False))", file);
        Assert.True(code == 0, output);
        var parsed = JsonNode.Parse(output)!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(2, parsed.Count);

        var first = parsed[0];
        Assert.Equal(rows[0].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)first["sequence"]);
        Assert.Equal(rows[0].EventId.ToString(), (string?)first["event_id"]);
        Assert.Equal("2026-01-10T08:00:00.0000000Z", (string?)first["occurred_at"]);
        Assert.Equal("张伟", (string?)first["actor_name"]);
        Assert.Equal(UserAgent, (string?)first["user_agent"]);
        Assert.Equal("line1\nline2", (string?)first["outcome_reason"]);
        Assert.Equal("phi-read", (string?)first["action"]);
        Assert.Equal("failed", (string?)first["outcome"]);
        Assert.Equal("H001", (string?)first["actor_institution"]);
        Assert.Equal("3", (string?)JsonNode.Parse((string)first["details"]!)!["count"]);
        Assert.Equal(Convert.ToHexStringLower(rows[0].Hash), (string?)first["hash"]);
        Assert.Equal(Convert.ToHexStringLower(rows[0].PreviousHash), (string?)first["previous_hash"]);

        // A value a spreadsheet would evaluate is written as text.
        Assert.Equal("'" + Formula, (string?)parsed[1]["actor_name"]);
        Assert.Equal("cataloguer reviewer", (string?)parsed[1]["actor_roles"]);
    }

    [Fact]
    public async Task JsonLinesHoldOneRecordPerLineWithSequenceAndHexHashes()
    {
        var rows = await SeedAsync();
        using var client = fx.Regulator();
        using var response = await client.GetAsync($"/audit/export?format=jsonl&{AuditRows.Window}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith(".jsonl", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("张伟", text, StringComparison.Ordinal); // not \u-escaped
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);

        for (var i = 0; i < 2; i++)
        {
            var line = JsonNode.Parse(lines[i])!.AsObject();
            Assert.Equal(rows[i].Sequence, (long)line["sequence"]!);
            Assert.Equal(rows[i].EventId, Guid.Parse((string)line["eventId"]!));
            Assert.Equal(Convert.ToHexStringLower(rows[i].Hash), (string?)line["hash"]);
            Assert.Equal(Convert.ToHexStringLower(rows[i].PreviousHash), (string?)line["previousHash"]);
            Assert.Equal(rows[i].Action, (string?)line["action"]);
            Assert.Equal(rows[i].ActorRoles, line["actorRoles"]!.AsArray().Select(r => (string)r!));
        }
        var details = JsonNode.Parse(lines[0])!["details"]!.AsObject();
        Assert.Equal("a,b", (string?)details["note"]);
        Assert.Equal("line1\nline2", (string?)JsonNode.Parse(lines[0])!["outcomeReason"]);
    }

    [Fact]
    public async Task EachExportIsAuditedWithItsFormatFilterAndExtent()
    {
        var rows = await SeedAsync();
        using var client = fx.As("exporting-admin", Roles.Admin);
        using var response = await client.GetAsync($"/audit/export?format=jsonl&{AuditRows.Window}&action=phi-read");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single((await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var evt = Assert.Single(await fx.AuditEventsInOutboxAsync(AuditActions.AuditExport),
            e => (string?)e["actor"]?["subjectId"] == "exporting-admin");
        var details = evt["details"]!.AsObject();
        Assert.Equal("jsonl", (string?)details["format"]);
        Assert.Equal("phi-read", (string?)details["action"]);
        Assert.True(long.Parse((string)details["through"]!, System.Globalization.CultureInfo.InvariantCulture) >= rows.Max(r => r.Sequence));
        Assert.Equal("audit-trail", (string?)evt["resource"]?["kind"]);
    }

    [Theory]
    [InlineData("format=xls", "format")]
    [InlineData("", "format")]
    [InlineData("format=csv&action=nope", "action")]
    public async Task AnUnknownFormatOrFilterIsA400NamingIt(string query, string parameter)
    {
        using var client = fx.Regulator();
        using var response = await client.GetAsync($"/audit/export?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.NotNull(JsonNode.Parse(body)!["errors"]?[parameter]);
    }
}
