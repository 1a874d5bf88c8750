using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

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
        builder.Property(v => v.Source).HasMaxLength(400);
        builder.Property(v => v.Migration).HasJsonConversion();
        builder.HasMany(v => v.Entities).WithOne().HasForeignKey(e => e.SetVersionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(v => v.Elements).WithOne().HasForeignKey(e => e.SetVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}
