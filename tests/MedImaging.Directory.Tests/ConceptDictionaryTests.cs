using MedImaging.Directory.Concepts;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>The shipped dictionary is usable, and a node's edited copy that is not is refused with the concept at fault.</summary>
public sealed class ConceptDictionaryTests : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("medcat-concepts-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Concept(string id, string zh, string en, params string[] broader) =>
        $$"""{"id": "{{id}}", "kind": "anatomy", "labelZh": "{{zh}}", "labelEn": "{{en}}", "synonymsZh": [], "synonymsEn": [], "broader": [{{string.Join(", ", broader.Select(b => $"\"{b}\""))}}]}""";

    private string File_(params string[] concepts) => Write($$"""{"version": "test", "concepts": [{{string.Join(", ", concepts)}}]}""");

    [Fact]
    public void The_shipped_dictionary_loads_with_a_few_hundred_concepts_of_every_kind()
    {
        var vocabulary = ConceptDictionaryLoader.Load(ConceptRegistration.ShippedPath);
        Assert.True(vocabulary.Concepts.Count >= 300, $"{vocabulary.Concepts.Count} concepts");
        Assert.All(ConceptKinds.All, kind => Assert.True(vocabulary.Concepts.Count(c => c.Kind == kind) >= 10, kind));
        // Ids are RadLex ids or the project's own namespace, never anything that could pass for one.
        Assert.All(vocabulary.Concepts, c => Assert.Matches("^(RID[0-9]+|MIC:[0-9]{4})$", c.Id));
        Assert.Equal("肺结节", vocabulary.Find("RID50149")!.LabelZh);
        Assert.Contains(vocabulary.Narrower("RID1243"), c => c.Id == "RID1301"); // 胸部 → 肺
    }

    [Fact]
    public void A_cycle_of_broader_links_is_refused_naming_the_concepts_on_it()
    {
        var path = File_(Concept("T:1", "胸部", "chest", "T:3"), Concept("T:2", "肺", "lung", "T:1"), Concept("T:3", "肺叶", "lobe", "T:2"));
        var ex = Assert.Throws<ConceptDictionaryException>(() => ConceptDictionaryLoader.Load(path));
        Assert.Contains("cycle", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'T:1' (胸部)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'T:2' (肺)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'T:3' (肺叶)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broader_id_that_is_not_in_the_dictionary_is_refused_naming_concept_and_id()
    {
        var path = File_(Concept("T:1", "胸部", "chest"), Concept("T:2", "肺", "lung", "T:9"));
        var ex = Assert.Throws<ConceptDictionaryException>(() => ConceptDictionaryLoader.Load(path));
        Assert.Equal("concept 'T:2' (肺): broader 'T:9' is not a concept of the dictionary.", ex.Message);
    }

    [Fact]
    public void Duplicate_ids_empty_labels_and_unknown_kinds_are_refused()
    {
        var ex = Assert.Throws<ConceptDictionaryException>(() => ConceptDictionaryLoader.Load(File_(
            Concept("T:1", "胸部", "chest"), Concept("T:1", "肺", "lung"), Concept("T:2", "　", "mediastinum"),
            Concept("T:3", "心脏", "heart").Replace("\"anatomy\"", "\"organ\"", StringComparison.Ordinal))));
        Assert.Contains("concept 'T:1' appears more than once", ex.Message, StringComparison.Ordinal);
        Assert.Contains("concept 'T:2': labelZh is empty.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("concept 'T:3' (心脏): kind 'organ' is not one of", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a concept dictionary", Assert.Throws<ConceptDictionaryException>(() => ConceptDictionaryLoader.Load(Write("{\"concepts\": [}"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_refuses_to_start_with_a_broken_dictionary_and_says_why()
    {
        var path = File_(Concept("T:1", "胸部", "chest"), Concept("T:2", "肺", "lung", "T:9"));
        await using var node = await DirectoryNode.CreateAsync(new Dictionary<string, string?> { [ConceptRegistration.PathKey] = path });
        var host = node.Directory.Services.GetRequiredService<ServiceHostContext>();
        Assert.Equal($"Directory:ConceptsPath {path}: concept 'T:2' (肺): broader 'T:9' is not a concept of the dictionary.", host.Problem);
    }

    [Fact]
    public async Task A_node_may_search_with_its_own_edited_copy()
    {
        // The node's copy knows 纵隔 as part of 肺门区 (a local convention): its search follows the copy, not the shipped file.
        var path = File_(Concept("T:1", "肺门区", "hilar region"), Concept("T:2", "纵隔", "mediastinum", "T:1"));
        await using var node = await DirectoryNode.CreateAsync(new Dictionary<string, string?> { [ConceptRegistration.PathKey] = path });
        Assert.Null(node.Directory.Services.GetRequiredService<ServiceHostContext>().Problem);
        var expansion = node.Directory.Services.GetRequiredService<MedImaging.Directory.Search.IQueryExpansion>();
        var expanded = expansion.Expand("肺门区", concepts: true);
        Assert.Equal("T:1", Assert.Single(expanded.Concepts).Id);
        Assert.Contains("纵隔", Assert.Single(expanded.Groups));
    }
}
