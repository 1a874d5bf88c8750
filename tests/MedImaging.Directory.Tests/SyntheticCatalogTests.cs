using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.Directory.Bench.Generation;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>
/// The data generator (issue 12, item 9): its entries, bulk-copied into a node's read model, are well-formed catalogue
/// entries — EF reads them back as the writer would have built them, the search API finds them for the callers who may
/// see them, every classification level and security classification occurs — and a seed always gives the same entries.
/// </summary>
public sealed class SyntheticCatalogTests(SyntheticCatalogTests.Loaded loaded) : IClassFixture<SyntheticCatalogTests.Loaded>
{
    private const int Count = 2000;
    private const int Seed = 7;
    private readonly DirectoryNode _node = loaded.Node;
    private readonly SyntheticCatalog _catalog = loaded.Catalog;
    private readonly LoadResult _load = loaded.Load;

    /// <summary>One node with the generator's first <see cref="Count"/> entries of <see cref="Seed"/>, copied in by the bulk loader.</summary>
    public sealed class Loaded : IAsyncLifetime
    {
        public DirectoryNode Node { get; private set; } = null!;
        public SyntheticCatalog Catalog { get; private set; } = null!;
        public LoadResult Load { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Node = await DirectoryNode.CreateAsync();
            Catalog = For(Node, Seed);
            Load = await CatalogLoader.LoadAsync(Node.Node.PostgresConnectionString, Catalog, 0, Count, 500, null, CancellationToken.None);
        }

        public async Task DisposeAsync() => await Node.DisposeAsync();
    }

    private static SyntheticCatalog For(DirectoryNode node, int seed) =>
        new(NodeTiers.Load(node.Node.TierFile), ClassificationScheme.Load(), Vocabulary.Load(), seed);

    private SyntheticCatalog Catalog(int seed) => For(_node, seed);

    private async Task<List<CatalogEntry>> RowsAsync()
    {
        await using var scope = _node.Directory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        return await db.CatalogEntries.AsNoTracking().ToListAsync();
    }

    [Fact]
    public async Task Copied_rows_read_back_through_EF_as_the_entries_the_writer_would_build()
    {
        Assert.Equal(Count, _load.Rows);
        var rows = (await RowsAsync()).ToDictionary(r => (r.OriginNode, r.ResourceId));
        Assert.Equal(Count, rows.Count);
        for (var i = 0; i < Count; i += 37)
        {
            var expected = CatalogEntry.From(_catalog.Entry(i));
            var row = rows[(expected.OriginNode, expected.ResourceId)];
            Assert.Equal(Comparable(expected), Comparable(row));
        }
        Assert.All(rows.Values, r =>
        {
            Assert.Equal(CatalogEntryState.Published, r.State);
            Assert.False(string.IsNullOrWhiteSpace(r.Title));
            Assert.NotEmpty(r.Keywords);
            Assert.Equal(r.ClassificationCode, r.Values["categoryCode"]);
            Assert.Equal(r.SecurityClassification, r.Values["securityClassification"]);
            Assert.Equal(r.Institution, r.Values["organizationCode"]);
            if (r.Kind == "ImagingStudy")
            {
                Assert.NotNull(r.StudyInstanceUid);
                Assert.Equal(r.SeriesCount, r.Series.Count);
                Assert.Equal(r.InstanceCount, r.Series.Sum(s => s.InstanceCount));
            }
            else Assert.Null(r.StudyInstanceUid);
        });
    }

    [Fact]
    public async Task Every_classification_level_security_classification_kind_and_a_child_node_occur_and_every_code_is_in_the_scheme()
    {
        var rows = await RowsAsync();
        var scheme = ClassificationScheme.Load();
        Assert.All(rows, r =>
        {
            var detail = scheme.Find(r.ClassificationCode!);
            Assert.NotNull(detail);
            Assert.Empty(detail.Children); // a 细目, the third level
            Assert.Equal(CatalogEntry.Levels(r.ClassificationCode), (r.Category, r.Subcategory));
            Assert.NotNull(scheme.Find(r.Subcategory!));
        });
        var categories = scheme.All.Where(n => !n.Code.Contains('.', StringComparison.Ordinal)).Select(n => n.Code).Order().ToArray();
        Assert.Equal(categories, rows.Select(r => r.Category!).Distinct().Order().ToArray());
        Assert.Equal(SecurityLevels.All.Order(), rows.Select(r => r.SecurityClassification!).Distinct().Order());
        Assert.Equal(["Database", "Dataset", "Document", "ImagingStudy"], rows.Select(r => r.Kind).Distinct().Order().ToArray());
        Assert.Contains(rows, r => r.OriginNode != _node.NodeId);
        // A hospital's mix: radiography and CT are the commonest modalities, more than MR and ultrasound.
        var byModality = rows.SelectMany(r => r.Modalities.Take(1)).GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byModality["CT"] > byModality["MR"] && byModality["DX"] + byModality["CR"] > byModality["US"], string.Join(", ", byModality));
    }

    [Fact]
    public async Task The_search_API_finds_generated_entries_by_Chinese_text_and_at_each_classification_level_within_the_callers_clearance()
    {
        using var anonymous = _node.Directory.CreateClient();
        var lung = await anonymous.GetFromJsonAsync<JsonElement>("/search?q=肺部&facets=securityClassification");
        Assert.True(lung.GetProperty("total").GetInt64() > 0);
        Assert.Equal(["public"], lung.GetProperty("facets").GetProperty("securityClassification").EnumerateArray().Select(f => f.GetProperty("value").GetString()!).ToArray());

        using var confidential = _node.Client(SecurityLevels.Confidential);
        var all = await confidential.GetFromJsonAsync<JsonElement>("/search?limit=1&facets=securityClassification");
        Assert.Equal(Count, all.GetProperty("total").GetInt64());
        Assert.Equal(SecurityLevels.All.Order(), all.GetProperty("facets").GetProperty("securityClassification").EnumerateArray().Select(f => f.GetProperty("value").GetString()!).Order());
        foreach (var code in new[] { "2", "2.2", "2.2.1" })
        {
            var hits = await confidential.GetFromJsonAsync<JsonElement>($"/search?classification={code}&limit=50");
            Assert.True(hits.GetProperty("total").GetInt64() > 0, code);
            Assert.All(hits.GetProperty("items").EnumerateArray(), h => Assert.StartsWith(code, h.GetProperty("classificationCode").GetString()!, StringComparison.Ordinal));
        }
        // One generated entry by words of its own title.
        var entry = _catalog.Entry(1234);
        var word = entry.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries).MaxBy(w => w.Length)!;
        var found = await confidential.GetFromJsonAsync<JsonElement>($"/search?q={Uri.EscapeDataString(word)}&limit=1000&concepts=false");
        Assert.Contains(found.GetProperty("items").EnumerateArray(), h => h.GetProperty("resourceId").GetGuid() == entry.ResourceId);
    }

    [Fact]
    public void A_seed_gives_the_same_entries_each_time_and_in_any_order_another_seed_other_entries()
    {
        var again = Catalog(Seed);
        var other = Catalog(Seed + 1);
        foreach (var i in new long[] { 1999, 0, 1234, 5_000_000 })
        {
            Assert.Equal(Json(_catalog.Entry(i)), Json(again.Entry(i)));
            Assert.NotEqual(Json(_catalog.Entry(i)), Json(other.Entry(i)));
        }
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    // Everything but the row's own bookkeeping time (UpdatedAt is "now" when a row is built).
    private static string Comparable(CatalogEntry e) => JsonSerializer.Serialize(new
    {
        e.OriginNode, e.ResourceId, e.RecordVersion, e.State, e.Kind, e.Title, e.Abstract, e.Keywords, e.ResourceIdentifier, e.SecurityClassification,
        e.Institution, e.InstitutionName, e.ClassificationCode, e.Category, e.Subcategory, e.Modalities, e.BodyParts, e.StudyDate, e.StudyInstanceUid,
        e.StudyDescription, e.SeriesCount, e.InstanceCount, e.TotalSizeBytes, e.PatientPseudonym, e.Format, e.OnlineResourceLink,
        Values = e.Values.OrderBy(v => v.Key, StringComparer.Ordinal).ToList(), e.Series, PublishedAt = e.PublishedAt.ToUniversalTime(), e.PublishedBy,
    });
}
