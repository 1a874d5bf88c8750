using MedImaging.Directory.Csw;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Tests;

/// <summary>The README's table of the 20 basic elements in Dublin Core is the code's mapping, row for row.</summary>
public sealed class DublinCoreTableTests
{
    [Fact]
    public void The_README_table_lists_every_element_of_the_mapping_as_the_records_write_it()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));
        var header = Array.FindIndex(readme, l => l.StartsWith("| § | element | id | Dublin Core / DCMI term", StringComparison.Ordinal));
        Assert.True(header > 0, "the mapping table is missing from README.md");
        var rows = readme.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();

        var expected = DublinCoreMapping.All.Select(m =>
        {
            var term = m.Term is null ? "—" : $"`{(m.Term.Namespace.NamespaceName == "http://purl.org/dc/terms/" ? "dct" : "dc")}:{m.Term.LocalName}`";
            var scheme = m.Scheme is null ? "" : $"`{m.Scheme}`";
            return $"| {m.Clause} | {m.NameZh} | `{m.ElementId}` | {term} | {scheme} | {m.Note} |";
        }).ToList();
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void The_mapping_covers_the_20_items_of_the_Metadata_services_basic_set_by_clause_and_element_id()
    {
        var seed = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "Services", "Metadata", "Seed", "basic-elements.json")))!;
        var items = seed["entities"]!.AsArray().Select(e => (Clause: (string)e!["clause"]!, Id: (string)e["entityId"]!))
            .Concat(seed["elements"]!.AsArray().Select(e => (Clause: (string)e!["clause"]!, Id: (string)e["elementId"]!)))
            .OrderBy(i => int.Parse(i.Clause.Split('.')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(20, items.Count);
        Assert.Equal(items, DublinCoreMapping.Basic.Select(m => (m.Clause, Id: m.ElementId)));
    }
}
