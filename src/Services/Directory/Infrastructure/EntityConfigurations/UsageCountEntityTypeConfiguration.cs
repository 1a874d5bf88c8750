using MedImaging.Directory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Directory.Infrastructure.EntityConfigurations;

internal sealed class UsageCountEntityTypeConfiguration : IEntityTypeConfiguration<UsageCount>
{
    public void Configure(EntityTypeBuilder<UsageCount> builder)
    {
        builder.ToTable("usage_counts");
        builder.HasKey(u => new { u.Day, u.Kind, u.OriginNode, u.ResourceId, u.Institution });
        builder.Property(u => u.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.OriginNode).HasMaxLength(64);
    }
}
