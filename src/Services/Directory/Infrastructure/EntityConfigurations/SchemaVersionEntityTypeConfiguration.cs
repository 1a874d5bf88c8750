using MedImaging.Contracts.Metadata;
using MedImaging.Directory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Directory.Infrastructure.EntityConfigurations;

internal sealed class SchemaVersionEntityTypeConfiguration : IEntityTypeConfiguration<SchemaVersion>
{
    public void Configure(EntityTypeBuilder<SchemaVersion> builder)
    {
        builder.HasKey(v => v.VersionId);
        builder.HasIndex(v => new { v.SetCode, v.Version }).IsUnique();
        builder.Property(v => v.SetCode).HasMaxLength(64);
        builder.Property(v => v.OriginNode).HasMaxLength(64);
        // Read whole with the version, never queried by part: jsonb, as the entries' values are.
        builder.Property(v => v.Elements).HasColumnType("jsonb").HasConversion(JsonList<MetadataSetVersionElement>.Converter, JsonList<MetadataSetVersionElement>.Comparer);
        builder.Property(v => v.Entities).HasColumnType("jsonb").HasConversion(JsonList<MetadataSetVersionEntity>.Converter, JsonList<MetadataSetVersionEntity>.Comparer);
    }
}
