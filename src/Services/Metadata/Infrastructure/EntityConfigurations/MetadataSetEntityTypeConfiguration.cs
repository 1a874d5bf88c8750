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
