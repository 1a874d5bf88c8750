using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class ProvenanceEntryEntityTypeConfiguration : IEntityTypeConfiguration<ProvenanceEntry>
{
    public void Configure(EntityTypeBuilder<ProvenanceEntry> builder)
    {
        builder.ToTable("provenance");
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => new { p.Subject, p.At });
        builder.Property(p => p.By).HasMaxLength(200);
        builder.Property(p => p.Why).HasMaxLength(2000);
        builder.Property(p => p.Source).HasMaxLength(400);
        builder.Property(p => p.Subject).HasMaxLength(400);
        builder.Property(p => p.Action).HasMaxLength(64);
        builder.Property(p => p.Details).HasColumnType("jsonb");
    }
}
