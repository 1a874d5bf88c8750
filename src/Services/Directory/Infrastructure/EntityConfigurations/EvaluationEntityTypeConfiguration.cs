using MedImaging.Directory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Directory.Infrastructure.EntityConfigurations;

internal sealed class EntryRatingEntityTypeConfiguration : IEntityTypeConfiguration<EntryRating>
{
    public void Configure(EntityTypeBuilder<EntryRating> builder)
    {
        builder.ToTable("entry_ratings", t => t.HasCheckConstraint("ck_entry_ratings_stars", $"stars BETWEEN {EntryRating.Min} AND {EntryRating.Max}"));
        // One rating per user and entry: rating again changes it.
        builder.HasKey(r => new { r.OriginNode, r.ResourceId, r.Rater });
        builder.Property(r => r.OriginNode).HasMaxLength(64);
        builder.Property(r => r.Rater).HasMaxLength(200);
    }
}

internal sealed class EntryCommentEntityTypeConfiguration : IEntityTypeConfiguration<EntryComment>
{
    public void Configure(EntityTypeBuilder<EntryComment> builder)
    {
        builder.ToTable("entry_comments");
        builder.HasKey(c => c.Id);
        builder.HasIndex(c => new { c.OriginNode, c.ResourceId, c.CreatedAt });
        builder.Property(c => c.OriginNode).HasMaxLength(64);
        builder.Property(c => c.Author).HasMaxLength(200);
        builder.Property(c => c.AuthorName).HasMaxLength(200);
        builder.Property(c => c.Text).HasMaxLength(EntryComment.MaxLength);
    }
}
