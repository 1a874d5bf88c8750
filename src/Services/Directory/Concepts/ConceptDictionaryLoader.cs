using System.Text.Json;
using MedImaging.Directory.Search;

namespace MedImaging.Directory.Concepts;

/// <summary>A dictionary file the host will not run with; the message names the concept and what is wrong with it.</summary>
public sealed class ConceptDictionaryException(string message) : Exception(message);

/// <summary>
/// Reads and checks the concept dictionary. A node edits its own copy, so every rule the expansion relies on is checked
/// here, at start, rather than discovered as a wrong search later: ids unique, labels present, kinds known, broader ids
/// existing, and no cycle of broader links (expansion walks narrower links to the bottom).
/// </summary>
public static class ConceptDictionaryLoader
{
    private const int ProblemsShown = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static ConceptVocabulary Load(string path)
    {
        ConceptFile? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize<ConceptFile>(stream, Json);
        }
        catch (JsonException ex)
        {
            throw new ConceptDictionaryException($"not a concept dictionary: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConceptDictionaryException($"cannot read the file ({ex.Message}).");
        }
        return Validated(file?.Concepts ?? [], file?.Version);
    }

    /// <summary>The dictionary of these concepts, or the problems that make it unusable.</summary>
    public static ConceptVocabulary Validated(IReadOnlyList<Concept> concepts, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(concepts);
        var problems = new List<string>();
        if (concepts.Count == 0) problems.Add("it has no concepts (\"concepts\": [ … ] is missing or empty).");
        var byId = new Dictionary<string, Concept>(StringComparer.Ordinal);
        for (var i = 0; i < concepts.Count; i++)
        {
            var c = concepts[i];
            if (c is null || string.IsNullOrWhiteSpace(c.Id)) { problems.Add($"concept #{i + 1} has no id."); continue; }
            if (!byId.TryAdd(c.Id, c)) problems.Add($"concept '{c.Id}' appears more than once (again as concept #{i + 1}).");
            problems.AddRange(Problems(c));
        }
        foreach (var c in byId.Values)
            foreach (var b in c.Broader ?? [])
            {
                if (string.Equals(b, c.Id, StringComparison.Ordinal)) problems.Add($"{Name(c)}: broader '{b}' is the concept itself.");
                else if (!byId.ContainsKey(b ?? "")) problems.Add($"{Name(c)}: broader '{b}' is not a concept of the dictionary.");
            }
        if (problems.Count == 0 && Cycle(byId) is { } cycle)
            problems.Add($"broader links form a cycle: {string.Join(" → ", cycle.Select(id => Name(byId[id])))}.");
        if (problems.Count > 0)
            throw new ConceptDictionaryException(string.Join(" ", problems.Take(ProblemsShown))
                + (problems.Count > ProblemsShown ? $" (and {problems.Count - ProblemsShown} more problems)" : ""));
        return new ConceptVocabulary([.. byId.Values], version);
    }

    private static IEnumerable<string> Problems(Concept c)
    {
        if (!ConceptKinds.All.Contains(c.Kind ?? ""))
            yield return $"{Name(c)}: kind '{c.Kind}' is not one of {string.Join(", ", ConceptKinds.All)}.";
        if (string.IsNullOrWhiteSpace(ConceptText.Normalize(c.LabelZh))) yield return $"{Name(c)}: labelZh is empty.";
        if (string.IsNullOrWhiteSpace(ConceptText.Normalize(c.LabelEn))) yield return $"{Name(c)}: labelEn is empty.";
        foreach (var s in (c.SynonymsZh ?? []).Concat(c.SynonymsEn ?? []))
            if (string.IsNullOrWhiteSpace(ConceptText.Normalize(s))) yield return $"{Name(c)}: a synonym is empty.";
    }

    /// <summary>The concept's id and, where it has one, its Chinese label: what an editor searches the file for.</summary>
    private static string Name(Concept c) => string.IsNullOrWhiteSpace(c.LabelZh) ? $"concept '{c.Id}'" : $"concept '{c.Id}' ({c.LabelZh})";

    /// <summary>A path of broader links that comes back to where it started, or null.</summary>
    private static List<string>? Cycle(Dictionary<string, Concept> byId)
    {
        // Depth-first search with the usual three colours; the grey path is the cycle when a grey node is met again.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in byId.Keys.Order(StringComparer.Ordinal))
            if (Visit(start) is { } found) return found;
        return null;

        List<string>? Visit(string id)
        {
            if (state.GetValueOrDefault(id) == 2) return null;
            if (state.GetValueOrDefault(id) == 1) return [.. path.Skip(path.IndexOf(id)), id];
            state[id] = 1;
            path.Add(id);
            foreach (var b in byId[id].Broader)
                if (Visit(b) is { } found) return found;
            path.RemoveAt(path.Count - 1);
            state[id] = 2;
            return null;
        }
    }
}

/// <summary>How concept terms and query text are compared: the catalogue's normalisation, with runs of white space made one space.</summary>
public static class ConceptText
{
    public static string Normalize(string? text) =>
        string.Join(' ', TextNormalizer.Normalize(text).Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>A letter or digit of the Latin alphabet: English words end where these end (Chinese has no such boundary).</summary>
    public static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c);
}
