using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class ClassificationSchemeRevisionEntityTypeConfiguration : IEntityTypeConfiguration<ClassificationSchemeRevision>
{
    public void Configure(EntityTypeBuilder<ClassificationSchemeRevision> builder)
    {
        // One row per (scheme, revision): the optimistic token on the scheme already makes revisions unique; this
        // makes the history itself refuse a second snapshot for a revision.
        builder.HasKey(r => new { r.SchemeId, r.Revision });
        builder.HasOne<ClassificationScheme>().WithMany().HasForeignKey(r => r.SchemeId);
        builder.Property(r => r.CreatedBy).HasMaxLength(200);
        builder.Property(r => r.ChangeKind).HasMaxLength(64);
        builder.Property(r => r.Subject).HasMaxLength(200);
        builder.Property(r => r.Snapshot).HasColumnType("jsonb");
    }
}
