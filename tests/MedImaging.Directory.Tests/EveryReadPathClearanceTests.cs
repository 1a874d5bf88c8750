using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Tests.DicomWeb;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests;

/// <summary>
/// Issue 12's clearance acceptance in one place: one catalogue (every security classification, two institutions, a
/// modality and body part per classification so that facet values give a level away), read by every role and clearance
/// through every read path — the JSON search (hits, total, facets), a discovery session's result set, record fetches,
/// CSW GetRecords, QIDO-RS, the DCAT export and the catalogue statistics. No path may return an entry, a count or a facet
/// value the caller may not see.
/// </summary>
public sealed class EveryReadPathClearanceTests(EveryReadPathClearanceTests.Catalogue catalogue) : IClassFixture<EveryReadPathClearanceTests.Catalogue>
{
    private const string Marker = "巡检样本";
    private const string OtherInstitution = "12130000MB0000001X";
    private static readonly Dictionary<string, (string Modality, string BodyPart)> Shape = new()
    {
        [SecurityLevels.Public] = ("CT", "CHEST"), [SecurityLevels.Internal] = ("MR", "HEAD"),
        [SecurityLevels.Restricted] = ("PT", "ABDOMEN"), [SecurityLevels.Confidential] = ("US", "PELVIS"),
    };


    public static TheoryData<string?, string, bool> Callers()
    {
        var data = new TheoryData<string?, string, bool> { { null, Roles.Public, false } };
        foreach (var role in new[] { Roles.Public, Roles.Researcher, Roles.Cataloguer, Roles.Reviewer, Roles.Publisher, Roles.Regulator, Roles.Admin })
            foreach (var clearance in SecurityLevels.All)
                foreach (var bound in new[] { false, true })
                    data.Add(clearance, role, bound);
        return data;
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task No_read_path_returns_an_entry_count_or_facet_value_above_the_callers_clearance_or_scope(string? clearance, string role, bool bound)
    {
        var scope = new CallerScope(clearance ?? SecurityLevels.Public, catalogue.Node.NodeId, bound ? catalogue.Node.FirstInstitution : null);
        using var client = clearance is null ? catalogue.Node.Directory.CreateClient() : catalogue.Node.Client(clearance, scope.Institution, role);
        var visible = catalogue.Entries.Where(e => scope.MaySee(e.SecurityClassification, e.Institution)).ToList();
        var hidden = catalogue.Entries.Except(visible).ToList();
        var ids = visible.Select(e => e.ResourceId.ToString()).Order().ToList();
        var levels = visible.Select(e => e.SecurityClassification!).Distinct().Order().ToList();
        var modalities = visible.SelectMany(e => e.Modalities).Distinct().Order().ToList();
        var why = $"{role} with clearance {clearance ?? "(anonymous)"}{(bound ? ", bound to one institution" : "")}";

        // JSON search: hits, total and three facets.
        var search = JsonNode.Parse(await client.GetStringAsync($"/search?q={Uri.EscapeDataString(Marker)}&facets=modality,securityClassification,institution&limit=100"))!;
        Assert.True(visible.Count == search["total"]!.GetValue<long>(), why);
        Assert.Equal(ids, search["items"]!.AsArray().Select(i => i!["resourceId"]!.GetValue<string>()).Order());
        Assert.Equal(modalities, FacetValues(search, "modality"));
        Assert.Equal(levels, FacetValues(search, "securityClassification"));
        Assert.Equal(visible.Select(e => e.Institution!).Distinct().Order(), FacetValues(search, "institution"));

        // A discovery session's result set, retrieved in full.
        var session = await client.OpenSessionAsync();
        var created = await client.SearchAsync(session, new { text = Marker });
        Assert.True(visible.Count == created["hits"]!.GetValue<long>(), why);
        if (visible.Count > 0)
        {
            var records = (await client.RetrieveAsync(session, created["resultSetId"].Str(), count: 50, elementSet: "full")).Records();
            Assert.Equal(ids, records.Select(r => r["resourceId"]!.GetValue<Guid>().ToString()).Order());
        }

        // Record fetches: a hidden entry is a 404, by key and by identifier.
        foreach (var e in catalogue.Entries)
        {
            var expected = visible.Contains(e) ? HttpStatusCode.OK : HttpStatusCode.NotFound;
            Assert.True(expected == (await client.GetAsync($"/records/{e.OriginNode}/{e.ResourceId}?elementSet=brief")).StatusCode, $"{why}: {e.Title}");
            Assert.True(expected == (await client.GetAsync($"/records/{e.ResourceIdentifier}?elementSet=brief")).StatusCode, $"{why}: {e.Title}");
        }

        // CSW GetRecords: numberOfRecordsMatched and the identifiers returned.
        var constraint = Uri.EscapeDataString($"csw:AnyText LIKE '%{Marker}%'");
        var csw = XDocument.Parse(await client.GetStringAsync(
            $"/csw?service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&resultType=results&elementSetName=brief&maxRecords=100&constraintLanguage=CQL_TEXT&constraint={constraint}"));
        var results = csw.Descendants(CswCalls.CswNs + "SearchResults").Single();
        Assert.True(visible.Count == (int)results.Attribute("numberOfRecordsMatched")!, why);
        var cswIds = results.Descendants(CswCalls.Dc + "identifier").Select(i => i.Value).ToHashSet();
        Assert.All(hidden, e => Assert.DoesNotContain(e.ResourceIdentifier!, cswIds));
        Assert.All(visible, e => Assert.Contains(e.ResourceIdentifier!, cswIds));

        // QIDO-RS: the studies and their series.
        var studies = await QidoCatalog.QidoAsync(client, $"/dicomweb/studies?StudyDescription={Uri.EscapeDataString($"*{Marker}*")}&limit=100");
        Assert.Equal(visible.Select(e => e.StudyInstanceUid!).Order(), studies.Select(s => QidoCatalog.Value(s, "0020000D")!).Order());
        foreach (var e in hidden)
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/dicomweb/studies/{e.StudyInstanceUid}/series")).StatusCode);

        // DCAT: public entries only, whatever the caller.
        var dcat = await client.GetStringAsync("/dcat.jsonld");
        Assert.All(catalogue.Entries, e => Assert.True(dcat.Contains(e.ResourceIdentifier!, StringComparison.Ordinal) == (e.SecurityClassification == SecurityLevels.Public), $"{why}: DCAT and {e.Title}"));

        // Catalogue statistics: totals and values.
        foreach (var by in new[] { "securityClassification", "modality", "institution" })
        {
            var stats = JsonNode.Parse(await client.GetStringAsync($"/statistics/catalogue?by={by}"))!;
            Assert.True(visible.Count == stats["entries"]!.GetValue<long>(), $"{why}: statistics by {by}");
            var values = stats["values"]!["items"]!.AsArray().Select(v => v!["value"]!.GetValue<string>()).Order().ToList();
            var expected = by switch
            {
                "securityClassification" => levels,
                "modality" => modalities,
                _ => visible.Select(e => e.Institution!).Distinct().Order().ToList(),
            };
            Assert.Equal(expected, values);
        }
    }

    private static List<string> FacetValues(JsonNode search, string facet) =>
        [.. search["facets"]![facet]!.AsArray().Select(f => f!["value"]!.GetValue<string>()).Order()];

    /// <summary>The catalogue every case reads: published once for the class.</summary>
    public sealed class Catalogue : IAsyncLifetime
    {
        public DirectoryNode Node { get; private set; } = null!;
        public List<ResourcePublished> Entries { get; } = [];

        public async Task InitializeAsync()
        {
            Node = await DirectoryNode.CreateAsync();
            var n = 0;
            foreach (var level in SecurityLevels.All)
                foreach (var institution in new[] { Node.FirstInstitution, OtherInstitution })
                {
                    n++;
                    Entries.Add(Node.Published($"{Marker} {level} {n}", level, institution) with
                    {
                        ResourceIdentifier = $"2.16.156.10011.2.9.130000.2.2.1.77{n:D2}", StudyInstanceUid = $"1.2.156.700.{n}",
                        StudyDescription = $"{Marker} 检查 {n}", InstitutionName = institution == OtherInstitution ? "河北省人民医院" : "河北医科大学第二医院",
                        Modalities = [Shape[level].Modality], BodyParts = [Shape[level].BodyPart],
                        Series = [new PublishedSeries { SeriesInstanceUid = $"1.2.156.700.{n}.1", Modality = Shape[level].Modality, InstanceCount = 1 }],
                    });
                }
            await Node.ApplyAsync([.. Entries]);
        }

        public async Task DisposeAsync() => await Node.DisposeAsync();
    }
}
