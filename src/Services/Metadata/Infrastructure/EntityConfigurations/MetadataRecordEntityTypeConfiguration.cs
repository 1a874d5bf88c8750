using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class MetadataRecordEntityTypeConfiguration : IEntityTypeConfiguration<MetadataRecord>
{
    public void Configure(EntityTypeBuilder<MetadataRecord> builder)
    {
        builder.HasKey(r => r.ResourceId);
        builder.Property(r => r.ResourceId).HasMaxLength(256);
        builder.Property(r => r.SetCode).HasMaxLength(64);
        builder.Property(r => r.Values).HasColumnType("jsonb");
        builder.Property(r => r.UpdatedBy).HasMaxLength(200);
        builder.Property(r => r.Revision).IsConcurrencyToken();
        builder.HasIndex(r => r.SetVersionId);
        builder.HasOne<MetadataSetVersion>().WithMany().HasForeignKey(r => r.SetVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
