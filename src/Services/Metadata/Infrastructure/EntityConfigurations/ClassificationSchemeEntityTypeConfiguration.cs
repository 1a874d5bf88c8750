using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class ClassificationSchemeEntityTypeConfiguration : IEntityTypeConfiguration<ClassificationScheme>
{
    public void Configure(EntityTypeBuilder<ClassificationScheme> builder)
    {
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => s.Code).IsUnique();
        builder.Property(s => s.Code).HasMaxLength(64);
        builder.Property(s => s.NameZh).HasMaxLength(200);
        builder.Property(s => s.NameEn).HasMaxLength(200);
        builder.Property(s => s.UpdatedBy).HasMaxLength(200);
        // Optimistic concurrency on the revision: two editors cannot both make revision n+1.
        builder.Property(s => s.Revision).IsConcurrencyToken();
        builder.HasMany(s => s.Nodes).WithOne().HasForeignKey(n => n.SchemeId);
        builder.HasMany(s => s.DicomRules).WithOne().HasForeignKey(r => r.SchemeId);
    }
}
