using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class MetadataElementEntityTypeConfiguration : IEntityTypeConfiguration<MetadataElement>
{
    public void Configure(EntityTypeBuilder<MetadataElement> builder)
    {
        builder.HasKey(e => e.Id);
        // Element ids are record keys and XML names: unique in a version whatever entity holds them.
        builder.HasIndex(e => new { e.SetVersionId, e.ElementId }).IsUnique();
        builder.Property(e => e.ElementId).HasMaxLength(64);
        builder.Property(e => e.EntityId).HasMaxLength(64);
        builder.Property(e => e.NameZh).HasMaxLength(200);
        builder.Property(e => e.NameEn).HasMaxLength(200);
        builder.Property(e => e.Definition).HasMaxLength(2000);
        builder.Property(e => e.Remarks).HasMaxLength(4000);
        builder.Property(e => e.Clause).HasMaxLength(32);
        builder.Property(e => e.DicomTag).HasMaxLength(16);
        builder.Property(e => e.DataType).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Obligation).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Domain).HasJsonConversion();
        builder.Property(e => e.Condition).HasJsonConversion();
        builder.Ignore(e => e.Repeats);
    }
}
