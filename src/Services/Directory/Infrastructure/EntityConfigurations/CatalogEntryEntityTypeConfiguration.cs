using System.Text.Json;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Directory.Infrastructure.EntityConfigurations;

internal sealed class CatalogEntryEntityTypeConfiguration : IEntityTypeConfiguration<CatalogEntry>
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<CatalogEntry> builder)
    {
        builder.ToTable("catalog_entries");
        builder.HasKey(e => new { e.OriginNode, e.ResourceId });
        builder.Property(e => e.OriginNode).HasMaxLength(64);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Kind).HasMaxLength(32);
        builder.Property(e => e.SecurityClassification).HasMaxLength(32);
        builder.Property(e => e.Format).HasMaxLength(200);
        builder.Property(e => e.SharedAs).HasMaxLength(16);
        // Rows written before federation (and the bench's COPY of own entries) have come through no other node.
        builder.Property(e => e.ReplicationPath).HasDefaultValueSql("'{}'::text[]");
        // Record fetches by identifier and DICOMweb's study key.
        builder.HasIndex(e => e.ResourceIdentifier);
        builder.HasIndex(e => e.StudyInstanceUid);
        // The search engine's lookups (ADR 0025): the token index for text, one index per element filter, and the
        // orders keyset pages walk (date and title, each ending in the key). No index on the security classification:
        // the visibility condition on every query matches most rows, and the planner ANDing its bitmap in cost more
        // than it saved (measured, ADR 0025).
        builder.HasIndex(e => e.SearchVector).HasMethod("gin");
        builder.HasIndex(e => e.Modalities).HasMethod("gin");
        builder.HasIndex(e => e.BodyParts).HasMethod("gin");
        builder.HasIndex(e => e.Institution);
        builder.HasIndex(e => e.Category);
        builder.HasIndex(e => e.Subcategory);
        builder.HasIndex(e => e.ClassificationCode);
        builder.HasIndex(e => e.Kind);
        builder.HasIndex(e => e.StudyDate);
        builder.HasIndex(e => new { e.PublishedAt, e.OriginNode, e.ResourceId });
        builder.HasIndex(e => new { e.Title, e.OriginNode, e.ResourceId });
        builder.Property(e => e.Values).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            s => JsonSerializer.Deserialize<Dictionary<string, string>>(s, Json) ?? new Dictionary<string, string>(),
            new ValueComparer<Dictionary<string, string>>(
                (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
                v => new Dictionary<string, string>(v, StringComparer.Ordinal)));
        builder.Property(e => e.Series).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            s => JsonSerializer.Deserialize<List<PublishedSeries>>(s, Json) ?? new List<PublishedSeries>(),
            new ValueComparer<List<PublishedSeries>>(
                (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
                v => v.ToList()));
    }
}
