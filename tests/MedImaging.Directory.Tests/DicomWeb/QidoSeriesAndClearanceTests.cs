using System.Net;
using System.Xml.Linq;
using MedImaging.ServiceDefaults.Auth;
using Npgsql;
using static MedImaging.Directory.Tests.DicomWeb.QidoCatalog;

namespace MedImaging.Directory.Tests.DicomWeb;

/// <summary>QIDO-RS series level from the entry's series summary, clearance per caller, and the XML encoding.</summary>
public sealed class QidoSeriesAndClearanceTests(QidoCatalog catalog) : IClassFixture<QidoCatalog>
{
    private static readonly string[] ExpectedDescriptions = ["头颅MR增强", "胸部CT平扫 肺结节随访"];

    [Fact]
    public async Task A_studys_series_come_from_its_series_summary_in_series_number_order()
    {
        using var anonymous = catalog.Client();
        var series = await QidoAsync(anonymous, "/dicomweb/studies/1.2.156.600.1.1/series");

        Assert.Equal(["1.2.156.600.1.1.1", "1.2.156.600.1.1.2"], series.Select(s => Value(s, "0020000E")));
        var first = series[0];
        Assert.Equal("CT", Value(first, "00080060"));
        Assert.Equal("1", Value(first, "00200011"));
        Assert.Equal("胸部平扫 5mm", Value(first, "0008103E"));
        Assert.Equal("CHEST", Value(first, "00180015"));
        Assert.Equal("120", Value(first, "00201209"));
        Assert.Equal("1.2.156.600.1.1", Value(first, "0020000D"));
        Assert.Equal("ISO_IR 192", Value(first, "00080005"));
        Assert.Equal(catalog.ChestCt.OnlineResourceLink + "/series/1.2.156.600.1.1.1", Value(first, "00081190"));
    }

    [Theory]
    [InlineData("SeriesNumber=2", "1.2.156.600.1.1.2")]
    [InlineData("SeriesDescription=%E8%82%BA*", "1.2.156.600.1.1.2")]      // 肺*
    [InlineData("BodyPartExamined=lung&fuzzymatching=true", "1.2.156.600.1.1.2")]
    [InlineData("BodyPartExamined=lung", "")]
    [InlineData("SeriesInstanceUID=1.2.156.600.1.1.1,1.2.156.600.1.1.2", "1.2.156.600.1.1.1,1.2.156.600.1.1.2")]
    [InlineData("Modality=MR", "")]
    [InlineData("limit=1&offset=1", "1.2.156.600.1.1.2")]
    public async Task Series_keys_match_by_the_same_rules(string query, string expected)
    {
        using var anonymous = catalog.Client();
        var series = await QidoAsync(anonymous, "/dicomweb/studies/1.2.156.600.1.1/series?" + query);
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), series.Select(s => Value(s, "0020000E")!));
    }

    [Fact]
    public async Task A_series_search_is_404_for_a_study_above_the_callers_clearance_and_audited_for_a_restricted_one()
    {
        using var anonymous = catalog.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/dicomweb/studies/1.2.156.600.1.4/series")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/dicomweb/studies/1.2.156.600.9.9/series")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("/dicomweb/studies/not-a-uid/series")).StatusCode);

        using var restricted = catalog.Client(SecurityLevels.Restricted);
        var series = await QidoAsync(restricted, "/dicomweb/studies/1.2.156.600.1.4/series");
        Assert.Equal("1.2.156.600.1.4.1", Value(Assert.Single(series), "0020000E"));

        await using var conn = new NpgsqlConnection(catalog.Node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*) FROM directory.outbox_messages
            WHERE body::jsonb->>'action' = 'entry-read' AND body::jsonb->'resource'->>'id' = $1
            """, conn) { Parameters = { new() { Value = catalog.Restricted.ResourceId.ToString() } } };
        Assert.Equal(1L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData(null, null, "chest,head,fullwidth")]                                    // anonymous
    [InlineData(SecurityLevels.Public, null, "chest,head,fullwidth")]
    [InlineData(SecurityLevels.Internal, "first", "chest,fullwidth,internal")]           // hospital staff: own institution only
    [InlineData(SecurityLevels.Internal, null, "chest,head,fullwidth,internal")]
    [InlineData(SecurityLevels.Restricted, null, "chest,head,fullwidth,internal,restricted")]
    [InlineData(SecurityLevels.Restricted, QidoCatalog.SecondInstitution, "head,restricted")]
    public async Task Each_caller_finds_the_studies_its_clearance_and_scope_allow_and_no_other(string? clearance, string? institution, string expected)
    {
        using var client = catalog.Client(clearance, institution == "first" ? catalog.Node.FirstInstitution : institution,
            clearance == SecurityLevels.Public ? [Roles.Public] : []);
        var all = await QidoAsync(client, "/dicomweb/studies");
        var wildcard = await QidoAsync(client, "/dicomweb/studies?InstitutionName=%E6%B2%B3%E5%8C%97*&StudyDate=20240101-");
        var expectedUids = expected.Split(',').Select(n => n switch
        {
            "chest" => catalog.ChestCt, "head" => catalog.HeadMr, "fullwidth" => catalog.FullWidth, "internal" => catalog.Internal,
            _ => catalog.Restricted,
        }).Select(e => e.StudyInstanceUid!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expectedUids, Uids(all));
        Assert.Equal(expectedUids, Uids(wildcard));
    }

    [Fact]
    public async Task Multipart_XML_is_answered_when_asked_with_the_Chinese_intact()
    {
        using var client = catalog.Node.Directory.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("multipart/related; type=\"application/dicom+xml\"");
        using var response = await client.GetAsync("/dicomweb/studies?StudyInstanceUID=1.2.156.600.1.1,1.2.156.600.1.2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("multipart/related", response.Content.Headers.ContentType!.MediaType);
        var boundary = response.Content.Headers.ContentType.Parameters.Single(p => p.Name == "boundary").Value!;
        var body = await response.Content.ReadAsStringAsync();
        var parts = body.Split("--" + boundary).Select(p => p.Trim()).Where(p => p.Length > 0 && p != "--").ToList();
        Assert.Equal(2, parts.Count);
        XNamespace ns = "http://dicom.nema.org/PS3.19/models/NativeDICOM";
        var descriptions = parts.Select(p =>
        {
            Assert.StartsWith("Content-Type: application/dicom+xml", p, StringComparison.Ordinal);
            var xml = XDocument.Parse(p[(p.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
            return xml.Root!.Elements(ns + "DicomAttribute").Single(a => (string?)a.Attribute("keyword") == "StudyDescription").Element(ns + "Value")!.Value;
        }).Order(StringComparer.Ordinal);
        Assert.Equal(ExpectedDescriptions.Order(StringComparer.Ordinal), descriptions);
    }
}
