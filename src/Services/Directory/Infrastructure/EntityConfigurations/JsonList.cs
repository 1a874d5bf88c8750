using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MedImaging.Directory.Infrastructure.EntityConfigurations;

/// <summary>A list of records as one jsonb value (web JSON names), compared by content.</summary>
internal static class JsonList<T>
{
    public static readonly ValueConverter<List<T>, string> Converter = new(
        v => JsonSerializer.Serialize(v, CatalogEntryEntityTypeConfiguration.Json),
        s => JsonSerializer.Deserialize<List<T>>(s, CatalogEntryEntityTypeConfiguration.Json) ?? new List<T>());

    public static readonly ValueComparer<List<T>> Comparer = new(
        (a, b) => JsonSerializer.Serialize(a, CatalogEntryEntityTypeConfiguration.Json) == JsonSerializer.Serialize(b, CatalogEntryEntityTypeConfiguration.Json),
        v => JsonSerializer.Serialize(v, CatalogEntryEntityTypeConfiguration.Json).GetHashCode(StringComparison.Ordinal),
        v => v.ToList());
}
