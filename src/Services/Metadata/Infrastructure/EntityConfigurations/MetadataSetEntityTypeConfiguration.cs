using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class MetadataSetEntityTypeConfiguration : IEntityTypeConfiguration<MetadataSet>
{
    public void Configure(EntityTypeBuilder<MetadataSet> builder)
    {
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => s.Code).IsUnique();
        builder.Property(s => s.Code).HasMaxLength(64);
        builder.Property(s => s.NameZh).HasMaxLength(200);
        builder.Property(s => s.NameEn).HasMaxLength(200);
        builder.HasMany(s => s.Versions).WithOne().HasForeignKey(v => v.MetadataSetId);
    }
}

internal sealed class MetadataSetVersionEntityTypeConfiguration : IEntityTypeConfiguration<MetadataSetVersion>
{
    public void Configure(EntityTypeBuilder<MetadataSetVersion> builder)
    {
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.MetadataSetId, v.Version }).IsUnique();
        // The database, not only the code, guarantees a single active version per set.
        builder.HasIndex(v => v.MetadataSetId).IsUnique().HasFilter("status = 'Active'").HasDatabaseName("ux_one_active_version_per_set");
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.ChangeNote).HasMaxLength(2000);
    }
}
