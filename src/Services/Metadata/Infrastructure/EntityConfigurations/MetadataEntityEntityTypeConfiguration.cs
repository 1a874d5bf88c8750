using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class MetadataEntityEntityTypeConfiguration : IEntityTypeConfiguration<MetadataEntity>
{
    public void Configure(EntityTypeBuilder<MetadataEntity> builder)
    {
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => new { e.SetVersionId, e.EntityId }).IsUnique();
        builder.Property(e => e.EntityId).HasMaxLength(64);
        builder.Property(e => e.NameZh).HasMaxLength(200);
        builder.Property(e => e.NameEn).HasMaxLength(200);
        builder.Property(e => e.Definition).HasMaxLength(2000);
        builder.Property(e => e.Remarks).HasMaxLength(4000);
        builder.Property(e => e.Clause).HasMaxLength(32);
        builder.Property(e => e.Obligation).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(e => e.Repeats);
    }
}
