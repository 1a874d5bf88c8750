using MedImaging.Directory.Bench.Generation;
using MedImaging.Directory.Search;
using MedImaging.Directory.Search.Index;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests.SearchIndex;

/// <summary>
/// The index engine (ADR 0030) answers exactly what the PostgreSQL engine (ADR 0025) answers: on 3,000 generated
/// entries, for every query of a mix (2-character Chinese, phrases, English, mixed text, concept expansion, every
/// filter, facets, each sort order in both directions) and every kind of caller, the same total, the same facet counts
/// and the same entries in the same order, page after page through the cursors.
/// </summary>
public sealed class EngineAgreementTests(EngineAgreementTests.Loaded loaded) : IClassFixture<EngineAgreementTests.Loaded>
{
    private const int Count = 3000;

    public sealed class Loaded : IAsyncLifetime
    {
        public DirectoryNode Node { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Node = await DirectoryNode.CreateAsync();
            var catalog = new SyntheticCatalog(NodeTiers.Load(Node.Node.TierFile), ClassificationScheme.Load(), Vocabulary.Load(), 11);
            await CatalogLoader.LoadAsync(Node.Node.PostgresConnectionString, catalog, 0, Count, 500, null, CancellationToken.None);
            // The first indexing of the load takes longer than a search waits (it would fall back to PostgreSQL): wait here.
            var index = Node.Directory.Services.GetRequiredService<CatalogIndex>();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (index.Documents < Count && DateTime.UtcNow < deadline)
            {
                index.Wake();
                await Task.Delay(100);
            }
        }

        public async Task DisposeAsync() => await Node.DisposeAsync();
    }

    private readonly DirectoryNode _node = loaded.Node;

    public static TheoryData<string> Queries => new(Mix.Keys);

    private static readonly Dictionary<string, CatalogQuery> Mix = new()
    {
        ["browse"] = new() { Facets = [.. CatalogFacets.All] },
        ["肺部 (2-char)"] = new() { Text = "肺部", Facets = [CatalogFacets.Modality, CatalogFacets.Category] },
        ["结节"] = new() { Text = "结节", ExpandConcepts = false },
        ["肺结节 (concepts)"] = new() { Text = "肺结节", Facets = [CatalogFacets.Year] },
        ["pulmonary nodule"] = new() { Text = "pulmonary nodule" },
        ["CT 肺结节 (mixed)"] = new() { Text = "CT 肺结节", Facets = [CatalogFacets.Institution] },
        ["MR 腰椎, by title ascending"] = new() { Text = "MR 腰椎", Sort = CatalogSort.Title, Descending = false },
        ["胸部 broader"] = new() { Text = "胸部", Facets = [CatalogFacets.BodyPart] },
        ["增强 + 细目"] = new() { Text = "增强", Classifications = ["3.1.2"] },
        ["modality + 亚目 + date range"] = new()
        {
            Modalities = ["CT"], Classifications = ["2.2"], StudyDateFrom = new DateOnly(2023, 1, 1), StudyDateTo = new DateOnly(2024, 12, 31),
            Facets = [CatalogFacets.Institution, CatalogFacets.Year],
        },
        ["类目 3, by date ascending"] = new() { Classifications = ["3"], Sort = CatalogSort.Date, Descending = false },
        ["kind Dataset + 数据集"] = new() { Kinds = ["Dataset"], Text = "数据集", Facets = [CatalogFacets.SecurityClassification, CatalogFacets.Kind] },
        ["knee + MR"] = new() { Text = "knee", Modalities = ["MR"] },
        ["by title descending"] = new() { Sort = CatalogSort.Title },
        ["relevance ascending"] = new() { Text = "乳腺", Descending = false, Facets = [CatalogFacets.Subcategory, CatalogFacets.Classification] },
        ["security filter + body part"] = new() { SecurityClassifications = [SecurityLevels.Internal], BodyParts = ["CHEST", "LSPINE"] },
        ["nothing matches"] = new() { Text = "不存在的词语xyz" },
    };

    private static IEnumerable<CallerScope> Callers(DirectoryNode node) =>
    [
        new(SecurityLevels.Public, null, null),
        new(SecurityLevels.Internal, node.NodeId, null),
        new(SecurityLevels.Confidential, node.NodeId, null),
        new(SecurityLevels.Restricted, node.NodeId, node.FirstInstitution),
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task The_index_answers_what_PostgreSQL_answers(string name)
    {
        var query = Mix[name];
        await using var scope = _node.Directory.Services.CreateAsyncScope();
        var index = scope.ServiceProvider.GetRequiredService<ICatalogSearch>();
        var sql = scope.ServiceProvider.GetRequiredService<CatalogSearch>();
        Assert.IsType<IndexedCatalogSearch>(index);
        var catalogIndex = scope.ServiceProvider.GetRequiredService<CatalogIndex>();
        var answered = catalogIndex.Searches.Answered;
        // Several segments, so that the per-segment passes and their merge are what is compared.
        Assert.True(catalogIndex.Search(s => s.IndexReader.Leaves.Count) > 1, "the index has a single segment");
        var searches = 0;
        foreach (var caller in Callers(_node))
        {
            string? indexCursor = null, sqlCursor = null;
            var pages = 0;
            do
            {
                var fromIndex = await index.SearchAsync(query, caller, new CatalogPage(40, indexCursor), CancellationToken.None);
                searches++;
                var fromSql = await sql.SearchAsync(query, caller, new CatalogPage(40, sqlCursor), CancellationToken.None);
                var what = $"{name}, caller {caller}, page {pages + 1}";
                Assert.True(fromSql.Total == fromIndex.Total, $"{what}: total {fromIndex.Total} from the index, {fromSql.Total} from PostgreSQL");
                Assert.Equal(Keys(fromSql), Keys(fromIndex));
                Assert.Equal(fromSql.Items.Select(h => Math.Round(h.Score, 6)), fromIndex.Items.Select(h => h.Score));
                Assert.Equal(fromSql.Facets.OrderBy(f => f.Key).Select(f => (f.Key, string.Join(",", f.Value))),
                    fromIndex.Facets.OrderBy(f => f.Key).Select(f => (f.Key, string.Join(",", f.Value))));
                Assert.Equal(fromSql.NextCursor is null, fromIndex.NextCursor is null);
                (indexCursor, sqlCursor) = (fromIndex.NextCursor, fromSql.NextCursor);
            }
            while (indexCursor is not null && ++pages < 4);
            Assert.Equal(await sql.KeysAsync(query, caller, 500, CancellationToken.None), await index.KeysAsync(query, caller, 500, CancellationToken.None));
            searches++;
        }
        // The index answered every one of them itself (none fell back to PostgreSQL, which would agree trivially).
        Assert.Equal(answered + searches, catalogIndex.Searches.Answered);
    }

    [Fact]
    public async Task The_mix_is_not_empty_for_the_callers_who_see_most()
    {
        await using var scope = _node.Directory.Services.CreateAsyncScope();
        var index = scope.ServiceProvider.GetRequiredService<ICatalogSearch>();
        var confidential = new CallerScope(SecurityLevels.Confidential, _node.NodeId, null);
        var empty = new List<string>();
        foreach (var (name, query) in Mix.Where(m => m.Key != "nothing matches"))
            if ((await index.SearchAsync(query, confidential, new CatalogPage(1), CancellationToken.None)).Total == 0) empty.Add(name);
        Assert.Empty(empty);
    }

    private static List<EntryKey> Keys(CatalogHits hits) => [.. hits.Items.Select(h => new EntryKey(h.Entry.OriginNode, h.Entry.ResourceId))];
}
