using System.Text.Json.Nodes;

namespace MedImaging.Metadata.Domain;

/// <summary>
/// What a new set version changes relative to the version it is based on: the version's elements are derived from
/// the previous ones by applying it, and existing records are migrated by applying it to their values. Defaults fill
/// an element a migrated record lacks (typically a newly added mandatory one).
/// </summary>
public sealed record SchemaMigration
{
    public IReadOnlyList<ElementDefinition> Added { get; init; } = [];
    public IReadOnlyList<string> Removed { get; init; } = [];
    public IReadOnlyList<ElementRename> Renamed { get; init; } = [];
    public IReadOnlyDictionary<string, JsonNode?> Defaults { get; init; } = new Dictionary<string, JsonNode?>();

    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Renamed.Count == 0 && Defaults.Count == 0;
}

public sealed record ElementRename(string From, string To);
