using MedImaging.Directory.Apis;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>
/// Concept search (§3.3.3.2) through <see cref="ICatalogSearch"/> on the real read model: free text is expanded through
/// the shipped dictionary, across languages, from broader to narrower concepts, inside unsegmented Chinese, and for the
/// traditional and full-width spellings of a word. Each case also runs with concepts off, which must not find it.
/// </summary>
public sealed class ConceptSearchTests(ConceptSearchTests.Catalogue catalogue) : IClassFixture<ConceptSearchTests.Catalogue>
{
    /// <summary>One node with entries described in one language only each, published once for the whole class.</summary>
    public sealed class Catalogue : IAsyncLifetime
    {
        public DirectoryNode Node { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Node = await DirectoryNode.CreateAsync();
            await Node.ApplyAsync(
                Node.Published("Pulmonary nodule follow-up") with { Modalities = ["DX"] },
                Node.Published("右肺上叶结节") with { Modalities = ["DX"] },
                Node.Published("Low-dose CT: lung nodules in smokers"),
                Node.Published("胸部MR 左肺结节") with { Modalities = ["MR"] },
                Node.Published("纵隔淋巴结肿大"),
                Node.Published("Thyroid nodule ultrasound") with { Modalities = ["US"] },
                Node.Published("腹部CT平扫 肝囊肿"));
        }

        public async Task DisposeAsync() => await Node.DisposeAsync();
    }

    private async Task<IReadOnlyList<string>> FindAsync(string text, bool concepts = true) => [.. (await SearchAsync(text, concepts)).Items.Select(h => h.Entry.Title).Order(StringComparer.Ordinal)];

    private async Task<CatalogHits> SearchAsync(string text, bool concepts = true)
    {
        await using var scope = catalogue.Node.Directory.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<ICatalogSearch>();
        return await search.SearchAsync(new CatalogQuery { Text = text, ExpandConcepts = concepts },
            new CallerScope(SecurityLevels.Confidential, catalogue.Node.NodeId, null), new CatalogPage(100), CancellationToken.None);
    }

    [Fact]
    public async Task Chinese_finds_an_entry_described_only_in_English()
    {
        var found = await FindAsync("肺结节");
        Assert.Contains("Pulmonary nodule follow-up", found);
        Assert.Contains("Low-dose CT: lung nodules in smokers", found);
        Assert.DoesNotContain("Thyroid nodule ultrasound", found);
        Assert.DoesNotContain("Pulmonary nodule follow-up", await FindAsync("肺结节", concepts: false));
    }

    [Fact]
    public async Task English_finds_an_entry_described_only_in_Chinese_although_no_synonym_spells_it()
    {
        // 右肺上叶结节 is no synonym of 肺结节: it is a nodule in a part of the lung, found through the concept's parts.
        var found = await FindAsync("pulmonary nodule");
        Assert.Contains("右肺上叶结节", found);
        Assert.Contains("胸部MR 左肺结节", found);
        Assert.DoesNotContain("纵隔淋巴结肿大", found);
        Assert.DoesNotContain("Thyroid nodule ultrasound", found);
        Assert.Equal(["Pulmonary nodule follow-up"], await FindAsync("pulmonary nodule", concepts: false));
    }

    [Fact]
    public async Task A_broader_concept_finds_entries_about_a_narrower_one_but_not_the_reverse()
    {
        var chest = await FindAsync("胸部");
        Assert.Contains("右肺上叶结节", chest);
        Assert.Contains("纵隔淋巴结肿大", chest);
        Assert.Contains("Pulmonary nodule follow-up", chest);
        Assert.DoesNotContain("腹部CT平扫 肝囊肿", chest);
        Assert.DoesNotContain("右肺上叶结节", await FindAsync("胸部", concepts: false));

        var lung = await FindAsync("肺");
        Assert.Contains("右肺上叶结节", lung);
        Assert.DoesNotContain("纵隔淋巴结肿大", lung);
    }

    [Fact]
    public async Task A_two_character_term_matches_inside_unsegmented_Chinese_and_its_English_synonyms()
    {
        var found = await FindAsync("结节");
        Assert.Contains("右肺上叶结节", found);
        Assert.Contains("胸部MR 左肺结节", found);
        Assert.Contains("Thyroid nodule ultrasound", found);
        Assert.DoesNotContain("纵隔淋巴结肿大", found);
        Assert.DoesNotContain("Thyroid nodule ultrasound", await FindAsync("结节", concepts: false));
    }

    [Fact]
    public async Task Mixed_Chinese_and_English_text_needs_both_concepts()
    {
        // The engine searches an entry's modality as well as its text: only the CT entry about lung nodules has both.
        var hits = await SearchAsync("CT 肺结节");
        Assert.Equal(["Low-dose CT: lung nodules in smokers"], hits.Items.Select(h => h.Entry.Title));
        Assert.Contains(hits.Concepts, c => c.Id == "RID10321" && c.MatchedText == "ct");
        Assert.Contains(hits.Concepts, c => c.Id == "RID50149" && c.MatchedText == "肺结节" && c.Terms.Contains("pulmonary") && c.Terms.Contains("nodule"));
    }

    [Fact]
    public async Task Traditional_and_full_width_spellings_find_the_same_entries()
    {
        var simplified = await FindAsync("CT 肺结节");
        Assert.NotEmpty(simplified);
        Assert.Equal(simplified, await FindAsync("ＣＴ 肺結節"));
        Assert.Equal(await FindAsync("肺结节"), await FindAsync("肺結節"));
        Assert.Contains((await SearchAsync("肺結節")).Concepts, c => c.Id == "RID50149");
    }

    [Fact]
    public async Task With_concepts_off_the_text_is_matched_literally_and_no_concept_is_reported()
    {
        var hits = await SearchAsync("pulmonary nodule", concepts: false);
        Assert.Equal(["Pulmonary nodule follow-up"], hits.Items.Select(h => h.Entry.Title));
        Assert.Empty(hits.Concepts);
        Assert.Contains((await SearchAsync("pulmonary nodule")).Concepts, c => c.Id == "RID50149");
    }

    [Fact]
    public async Task The_json_search_api_expands_concepts_both_ways_and_answers_the_concepts_as_chips()
    {
        using var anonymous = catalogue.Node.Directory.CreateClient();
        var chinese = await anonymous.GetFromJsonAsync<JsonElement>($"/search?q={Uri.EscapeDataString("肺结节")}&limit=100");
        Assert.Contains("Pulmonary nodule follow-up", Titles(chinese));
        var chip = Assert.Single(chinese.GetProperty("concepts").EnumerateArray());
        Assert.Equal("RID50149", chip.GetProperty("id").GetString());
        Assert.Equal("肺结节", chip.GetProperty("labelZh").GetString());
        Assert.Equal("pulmonary nodule", chip.GetProperty("labelEn").GetString());
        Assert.Equal("肺结节", chip.GetProperty("matchedText").GetString());
        Assert.Contains("nodule", chip.GetProperty("terms").EnumerateArray().Select(t => t.GetString()));

        Assert.Contains("右肺上叶结节", Titles(await anonymous.GetFromJsonAsync<JsonElement>("/search?q=pulmonary%20nodule&limit=100")));
        var literal = await anonymous.GetFromJsonAsync<JsonElement>($"/search?q={Uri.EscapeDataString("肺结节")}&concepts=false&limit=100");
        Assert.DoesNotContain("Pulmonary nodule follow-up", Titles(literal));
        Assert.Empty(literal.GetProperty("concepts").EnumerateArray());

        static IReadOnlyList<string?> Titles(JsonElement answer) => [.. answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString())];
    }

    [Theory]
    [InlineData("肺结", "RID50149", "肺结节")]
    [InlineData("Pulmonary Nod", "RID50149", "pulmonary nodule")]
    [InlineData("nod", "MIC:", "nodule")]
    [InlineData("ggo", "RID28531", "ggo")]
    [InlineData("核磁", "RID10312", "核磁")]
    [InlineData("腦", "RID6434", "脑")]
    public async Task The_concepts_api_looks_up_labels_and_synonyms_by_prefix_in_either_language(string q, string id, string term)
    {
        // Anonymous: lookup is part of discovery (Policies.Discover).
        using var client = catalogue.Node.Directory.CreateClient();
        var page = await client.GetFromJsonAsync<JsonElement>($"/concepts?q={Uri.EscapeDataString(q)}&pageSize=500");
        var hits = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(hits, h => h.GetProperty("id").GetString()!.StartsWith(id, StringComparison.Ordinal) && h.GetProperty("matchedTerm").GetString() == term);
        Assert.Equal(hits.Count, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_concepts_api_answers_one_concept_with_its_broader_and_narrower_concepts()
    {
        using var client = catalogue.Node.Directory.CreateClient();
        var lung = await client.GetFromJsonAsync<JsonElement>("/concepts/RID1301");
        Assert.Equal("肺", lung.GetProperty("labelZh").GetString());
        Assert.Equal("lung", lung.GetProperty("labelEn").GetString());
        Assert.Contains("pulmonary", lung.GetProperty("synonymsEn").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains(lung.GetProperty("broader").EnumerateArray(), b => b.GetProperty("id").GetString() == "RID1243" && b.GetProperty("labelZh").GetString() == "胸部");
        Assert.Contains(lung.GetProperty("narrower").EnumerateArray(), n => n.GetProperty("id").GetString() == "RID50149");

        using var missing = await client.GetAsync("/concepts/RID0");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // Without text the dictionary is browsed page by page, by id.
        var browse = await client.GetFromJsonAsync<JsonElement>("/concepts?page=1&pageSize=5");
        Assert.Equal(5, browse.GetProperty("items").GetArrayLength());
        Assert.True(browse.GetProperty("total").GetInt32() >= 300);
        var tooLong = await client.GetAsync($"/concepts?q={new string('肺', ConceptsApi.MaxQueryLength + 1)}");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("q", out _));
    }
}
