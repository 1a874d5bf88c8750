using MedImaging.Inference.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Inference.Infrastructure.EntityConfigurations;

internal sealed class AnalysisJobEntityTypeConfiguration : IEntityTypeConfiguration<AnalysisJob>
{
    public void Configure(EntityTypeBuilder<AnalysisJob> builder)
    {
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Kind).HasMaxLength(64);
        builder.Property(j => j.ResourceIdentifier).HasMaxLength(200);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.CreatedBy).HasMaxLength(200);
        builder.HasIndex(j => new { j.Status, j.CreatedAt });
    }
}
