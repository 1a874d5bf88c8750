using MedImaging.Contracts.Registration;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>
/// The engine's matching for Chinese (ADR 0025): 2-character terms and single characters inside unsegmented text,
/// adjacency for longer terms, mixed Chinese and English, full/half width and traditional/simplified variants, and
/// the OR-groups a query expansion hands over.
/// </summary>
public sealed class ChineseMatchingTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;
    private readonly Dictionary<string, ResourcePublished> _entries = [];

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        Add("lungNodule", "胸部CT平扫肺结节随访");
        Add("lungInfection", "肺部感染复查", abstractText: "双肺散在小结节，建议复查");
        Add("head", "头颅MR平扫", abstractText: "脑梗死 cerebral infarction");
        Add("petct", "PET-CT淋巴瘤分期", abstractText: "Staging of lymphoma by PET-CT");
        Add("english", "Pulmonary nodule follow-up CT", keywords: ["nodule", "screening"]);
        Add("fullWidthTraditional", "胸部ＣＴ 肺結節 腦部ＭＲ");
        await _node.ApplyAsync([.. _entries.Values]);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private void Add(string name, string title, string? abstractText = null, string[]? keywords = null) =>
        _entries[name] = _node.Published(title) with { Abstract = abstractText, Keywords = keywords ?? [] };

    private async Task<string[]> Found(string text, IQueryExpansion? expansion = null)
    {
        await using var scope = _node.Directory.Services.CreateAsyncScope();
        var search = expansion is null
            ? scope.ServiceProvider.GetRequiredService<ICatalogSearch>()
            : new CatalogSearch(scope.ServiceProvider.GetRequiredService<DirectoryDbContext>(), expansion, scope.ServiceProvider.GetRequiredService<SearchCursorKey>());
        // The engine's matching of the text as written: concept expansion (ConceptSearchTests) would widen 肺结节 to its site and finding.
        var hits = await search.SearchAsync(new CatalogQuery { Text = text, ExpandConcepts = expansion is not null }, new CallerScope(SecurityLevels.Confidential, _node.NodeId, null),
            new CatalogPage(100), CancellationToken.None);
        return [.. hits.Items.Select(h => _entries.Single(e => e.Value.ResourceId == h.Entry.ResourceId).Key).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_two_character_term_matches_inside_unsegmented_text()
    {
        Assert.Equal(["fullWidthTraditional", "lungInfection", "lungNodule"], await Found("结节"));
        Assert.Equal(["lungInfection"], await Found("肺部"));
        Assert.Equal(["head", "lungNodule"], await Found("平扫"));
    }

    [Fact]
    public async Task A_longer_term_matches_only_where_its_characters_are_adjacent()
    {
        // 肺部感染 … 小结节 has 肺, 结 and 结节, but not 肺结节.
        Assert.Equal(["fullWidthTraditional", "lungNodule"], await Found("肺结节"));
        Assert.Empty(await Found("结节肺"));
    }

    [Fact]
    public async Task A_single_han_character_matches()
    {
        Assert.Equal(["fullWidthTraditional", "lungInfection", "lungNodule"], await Found("肺"));
        Assert.Equal(["head"], await Found("脑梗"));
    }

    [Fact]
    public async Task Mixed_chinese_and_english_text_and_queries_match()
    {
        Assert.Equal(["fullWidthTraditional", "lungNodule"], await Found("CT 肺结节"));
        Assert.Equal(["fullWidthTraditional", "lungNodule"], await Found("CT肺结节"));
        Assert.Equal(["petct"], await Found("PET-CT 淋巴瘤"));
        Assert.Equal(["petct"], await Found("lymphoma PET"));
        Assert.Equal(["english"], await Found("pulmonary nodule"));
        Assert.Equal(["head"], await Found("Cerebral 脑梗死"));
    }

    [Fact]
    public async Task Full_width_and_traditional_variants_meet_their_half_width_and_simplified_forms()
    {
        Assert.Contains("fullWidthTraditional", await Found("ct 肺结节"));
        Assert.Equal(["fullWidthTraditional"], await Found("脑部"));
        Assert.Equal(["fullWidthTraditional"], await Found("腦部 mr"));
        Assert.Equal(["petct"], await Found("ＰＥＴ－ＣＴ 淋巴瘤"));
        Assert.Equal(["fullWidthTraditional", "lungNodule"], await Found("肺結節"));
    }

    [Fact]
    public async Task The_alternatives_of_a_group_are_ORed_and_the_groups_ANDed()
    {
        // What the concept dictionary's expansion hands over for "肺结节 CT": the concept's labels and synonyms as one group.
        var expansion = new GivenGroups([["肺结节", "pulmonary nodule"], ["ct"]]);
        Assert.Equal(["english", "fullWidthTraditional", "lungNodule"], await Found("肺结节 CT", expansion));
        Assert.Equal(["english", "fullWidthTraditional", "lungNodule", "petct"],
            await Found("x", new GivenGroups([["肺结节", "lymphoma", "nodule follow"]])));
    }

    /// <summary>The term groups an <see cref="IQueryExpansion"/> produced (the dictionary itself is feat/dir-concepts' part).</summary>
    private sealed class GivenGroups(IReadOnlyList<IReadOnlyList<string>> groups) : IQueryExpansion
    {
        public ExpandedText Expand(string text, bool concepts) => new(groups, []);
    }
}
