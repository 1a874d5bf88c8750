using System.Text.Json;
using MedImaging.Metadata.Domain;

namespace MedImaging.Metadata.Infrastructure.Seed;

/// <summary>The checked-in seed files (Seed/*.json, embedded in the assembly so every host and test reads the same).</summary>
internal static class SeedFiles
{
    public sealed record SetSeed(string Code, string NameZh, string NameEn, string ChangeNote, string Source, string? Includes,
        IReadOnlyList<EntityDefinition> Entities, IReadOnlyList<ElementDefinition> Elements);

    public sealed record NodeSeed(string Code, string NameZh, string NameEn, IReadOnlyList<NodeSeed>? Children);

    public sealed record SchemeSeed(string Code, string NameZh, string NameEn, string Source, string Remarks, IReadOnlyList<NodeSeed> Categories);

    public sealed record RuleSeed(string Attribute, string Value, string Code, string? Category = null);

    public sealed record MapSeed(string Scheme, IReadOnlyList<RuleSeed> Rules);

    public static readonly string[] Sets = ["basic-elements.json", "dicom-extension.json"];
    public const string Scheme = "imaging-classification.json";
    public const string DicomMap = "dicom-classification-map.json";

    public static T Read<T>(string name)
    {
        using var stream = typeof(SeedFiles).Assembly.GetManifestResourceStream($"MedImaging.Metadata.Seed.{name}")
            ?? throw new InvalidOperationException($"Seed file {name} is not embedded.");
        return JsonSerializer.Deserialize<T>(stream, JsonColumns.Options) ?? throw new InvalidOperationException($"Seed file {name} is empty.");
    }
}
