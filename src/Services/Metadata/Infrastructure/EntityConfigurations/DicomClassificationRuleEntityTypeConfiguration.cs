using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class DicomClassificationRuleEntityTypeConfiguration : IEntityTypeConfiguration<DicomClassificationRule>
{
    public void Configure(EntityTypeBuilder<DicomClassificationRule> builder)
    {
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.SchemeId, r.Attribute, r.Value, r.Category }).IsUnique();
        builder.Property(r => r.Attribute).HasMaxLength(64);
        builder.Property(r => r.Value).HasMaxLength(64);
        builder.Property(r => r.Code).HasMaxLength(9);
        builder.Property(r => r.Category).HasMaxLength(9).HasDefaultValue("");
        builder.Property(r => r.Level).HasConversion<string>().HasMaxLength(16);
    }
}
