using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class ClassificationNodeEntityTypeConfiguration : IEntityTypeConfiguration<ClassificationNode>
{
    public void Configure(EntityTypeBuilder<ClassificationNode> builder)
    {
        builder.HasKey(n => n.Id);
        // Codes compose identifiers: a full code exists once per scheme and is never deleted (only withdrawn).
        builder.HasIndex(n => new { n.SchemeId, n.FullCode }).IsUnique();
        builder.Property(n => n.Code).HasMaxLength(9);
        builder.Property(n => n.FullCode).HasMaxLength(32);
        builder.Property(n => n.ParentCode).HasMaxLength(32);
        builder.Property(n => n.Level).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.NameZh).HasMaxLength(200);
        builder.Property(n => n.NameEn).HasMaxLength(200);
    }
}
