using MedImaging.Directory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Directory.Infrastructure.EntityConfigurations;

internal sealed class RebuildRunEntityTypeConfiguration : IEntityTypeConfiguration<RebuildRun>
{
    public void Configure(EntityTypeBuilder<RebuildRun> builder)
    {
        builder.ToTable("rebuild_runs");
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.RequestedBy).HasMaxLength(200);
        builder.Property(r => r.LastError).HasMaxLength(2000);
        builder.HasIndex(r => r.StartedAt);
    }
}
