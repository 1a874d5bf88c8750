using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>Element filters as the JSON API takes them, facets with exact counts within the caller's clearance, and scores.</summary>
public sealed class SearchFiltersAndFacetsTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;
    private readonly Dictionary<string, ResourcePublished> _entries = [];

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        var t0 = new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);
        Add("chestCt", _node.Published("胸部CT 肺结节") with { ClassificationCode = "2.2.1", Modalities = ["CT"], BodyParts = ["CHEST"], StudyDate = new(2024, 5, 1), OccurredAt = t0 });
        Add("headMr", _node.Published("头颅MR 脑梗死") with { ClassificationCode = "2.3.1", Modalities = ["MR"], BodyParts = ["HEAD"], StudyDate = new(2022, 2, 1), OccurredAt = t0.AddDays(1) });
        Add("dataset", _node.Published("肺结节数据集", institution: "H-OTHER") with { Kind = "Dataset", ClassificationCode = "4.1.1", Modalities = ["CT", "PT"], BodyParts = ["CHEST"], StudyDate = null, OccurredAt = t0.AddDays(2) });
        Add("internalMr", _node.Published("胸部MR 内部", SecurityLevels.Internal) with { ClassificationCode = "2.2.2", Modalities = ["MR"], BodyParts = ["CHEST"], StudyDate = new(2023, 7, 1), OccurredAt = t0.AddDays(3) });
        Add("restrictedMg", _node.Published("乳腺MG 结节 受限", SecurityLevels.Restricted) with { ClassificationCode = "2.9.1", Modalities = ["MG"], BodyParts = ["BREAST"], StudyDate = new(2023, 8, 1), OccurredAt = t0.AddDays(4) });
        Add("replica", _node.Published("胸部CT 肺结节 上级节点") with { OriginNode = "hebei-province", ClassificationCode = "2.2.1", Modalities = ["CT"], StudyDate = new(2021, 1, 1), OccurredAt = t0.AddDays(5) });
        await _node.ApplyAsync([.. _entries.Values]);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private void Add(string name, ResourcePublished p) => _entries[name] = p;

    private static async Task<JsonElement> Get(HttpClient client, string url) => await client.GetFromJsonAsync<JsonElement>(url);

    private string[] Names(JsonElement answer) =>
        [.. answer.GetProperty("items").EnumerateArray().Select(i => _entries.Single(e => e.Value.ResourceId == i.GetProperty("resourceId").GetGuid()).Key).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("classification=2", "chestCt,headMr,internalMr,replica")]
    [InlineData("classification=2.2", "chestCt,internalMr,replica")]
    [InlineData("classification=2.2.1", "chestCt,replica")]
    [InlineData("classification=2.3.1,4.1", "dataset,headMr")]
    [InlineData("modality=MR", "headMr,internalMr")]
    [InlineData("modality=PT&modality=MR", "dataset,headMr,internalMr")]
    [InlineData("bodyPart=HEAD", "headMr")]
    [InlineData("institution=H-OTHER", "dataset")]
    [InlineData("node=hebei-province", "replica")]
    [InlineData("securityClassification=internal", "internalMr")]
    [InlineData("kind=Dataset", "dataset")]
    [InlineData("studyDateFrom=2022-01-01&studyDateTo=2023-12-31", "headMr,internalMr")]
    [InlineData("publishedFrom=2026-01-12T00:00:00Z&publishedTo=2026-01-14T00:00:00Z", "dataset,internalMr")]
    [InlineData("q=肺结节&modality=CT&classification=2", "chestCt,replica")]
    public async Task Each_element_filter_narrows_the_hits(string filter, string expected)
    {
        using var internalStaff = _node.Client(SecurityLevels.Internal);
        var answer = await Get(internalStaff, $"/search?{filter}&limit=100");
        Assert.Equal(expected.Split(','), Names(answer));
        Assert.Equal(expected.Split(',').Length, answer.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Facets_count_exactly_what_the_caller_may_see()
    {
        using var internalStaff = _node.Client(SecurityLevels.Internal);
        var answer = await Get(internalStaff, "/search?facets=modality,bodyPart,category,subcategory,classification,institution,node,securityClassification,kind,year&limit=1");
        var facets = answer.GetProperty("facets");
        Dictionary<string, long> Facet(string name) => facets.GetProperty(name).EnumerateArray().ToDictionary(f => f.GetProperty("value").GetString()!, f => f.GetProperty("count").GetInt64());
        Assert.Equal(5, answer.GetProperty("total").GetInt64());
        // The restricted mammography entry is not counted anywhere: no MG, no BREAST, no 2.9, no restricted.
        Assert.Equal(new Dictionary<string, long> { ["CT"] = 3, ["MR"] = 2, ["PT"] = 1 }, Facet("modality"));
        Assert.Equal(new Dictionary<string, long> { ["CHEST"] = 4, ["HEAD"] = 1 }, Facet("bodyPart"));
        Assert.Equal(new Dictionary<string, long> { ["2"] = 4, ["4"] = 1 }, Facet("category"));
        Assert.Equal(new Dictionary<string, long> { ["2.2"] = 3, ["2.3"] = 1, ["4.1"] = 1 }, Facet("subcategory"));
        Assert.Equal(new Dictionary<string, long> { ["2.2.1"] = 2, ["2.2.2"] = 1, ["2.3.1"] = 1, ["4.1.1"] = 1 }, Facet("classification"));
        Assert.Equal(new Dictionary<string, long> { [_node.FirstInstitution] = 4, ["H-OTHER"] = 1 }, Facet("institution"));
        Assert.Equal(new Dictionary<string, long> { [_node.NodeId] = 4, ["hebei-province"] = 1 }, Facet("node"));
        Assert.Equal(new Dictionary<string, long> { ["public"] = 4, ["internal"] = 1 }, Facet("securityClassification"));
        Assert.Equal(new Dictionary<string, long> { ["ImagingStudy"] = 4, ["Dataset"] = 1 }, Facet("kind"));
        Assert.Equal(new Dictionary<string, long> { ["2021"] = 1, ["2022"] = 1, ["2023"] = 1, ["2024"] = 1 }, Facet("year"));

        // Bound to an institution and anonymous: narrower still, and the counts follow.
        using var hospital = _node.Client(SecurityLevels.Restricted, "H-OTHER");
        var bound = (await Get(hospital, "/search?facets=modality")).GetProperty("facets").GetProperty("modality");
        Assert.Equal(["CT:1", "PT:1"], bound.EnumerateArray().Select(f => $"{f.GetProperty("value").GetString()}:{f.GetProperty("count").GetInt64()}").Order(StringComparer.Ordinal));
        using var anonymous = _node.Directory.CreateClient();
        var open = await Get(anonymous, "/search?q=结节&facets=securityClassification,modality");
        Assert.Equal(3, open.GetProperty("total").GetInt64());
        Assert.Equal(["public:3"], open.GetProperty("facets").GetProperty("securityClassification").EnumerateArray().Select(f => $"{f.GetProperty("value").GetString()}:{f.GetProperty("count").GetInt64()}"));
        Assert.DoesNotContain("MG", open.GetProperty("facets").GetProperty("modality").EnumerateArray().Select(f => f.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task A_title_match_ranks_above_an_abstract_only_match_and_hits_carry_their_score()
    {
        var inAbstract = _node.Published("头部CT 随访") with { Abstract = "另见淋巴瘤病史", OccurredAt = DateTimeOffset.UtcNow.AddDays(1) };
        var inKeywords = _node.Published("颈部超声") with { Keywords = ["淋巴瘤"], OccurredAt = DateTimeOffset.UtcNow.AddDays(2) };
        var inTitle = _node.Published("淋巴瘤 PET-CT 分期") with { OccurredAt = DateTimeOffset.UtcNow.AddDays(-30) };
        await _node.ApplyAsync(inAbstract, inKeywords, inTitle);
        using var client = _node.Client(SecurityLevels.Internal);
        var answer = await Get(client, "/search?q=淋巴瘤");
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([inTitle.ResourceId, inKeywords.ResourceId, inAbstract.ResourceId], items.Select(i => i.GetProperty("resourceId").GetGuid()));
        var scores = items.Select(i => i.GetProperty("score").GetDouble()).ToList();
        Assert.True(scores[0] > scores[1] && scores[1] > scores[2] && scores[2] > 0, string.Join(", ", scores));
    }

    [Fact]
    public async Task A_bindings_own_condition_is_composed_into_hits_total_facets_and_keys()
    {
        await using var scope = _node.Directory.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<ICatalogSearch>();
        var caller = new CallerScope(SecurityLevels.Confidential, _node.NodeId, null);
        // What a CSW filter or a QIDO-RS wildcard hands over: an EF condition beside the text and the element filters.
        var query = new CatalogQuery { Text = "结节", Where = e => e.Kind == "Dataset" || e.Title.StartsWith("乳腺"), Facets = [CatalogFacets.Modality] };
        var hits = await search.SearchAsync(query, caller, new CatalogPage(10), CancellationToken.None);
        Assert.Equal(2, hits.Total);
        Assert.Equal(new[] { _entries["dataset"].ResourceId, _entries["restrictedMg"].ResourceId }.Order(), hits.Items.Select(h => h.Entry.ResourceId).Order());
        Assert.Equal(["CT:1", "MG:1", "PT:1"], hits.Facets[CatalogFacets.Modality].Select(f => $"{f.Value}:{f.Count}").Order(StringComparer.Ordinal));
        var keys = await search.KeysAsync(query with { Sort = CatalogSort.Title, Descending = false }, caller, 10, CancellationToken.None);
        Assert.Equal([_entries["restrictedMg"].ResourceId, _entries["dataset"].ResourceId], keys.Select(k => k.ResourceId));
    }
}
