using MedImaging.Metadata.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Metadata.Infrastructure.EntityConfigurations;

internal sealed class ResourceIdentifierEntityTypeConfiguration : IEntityTypeConfiguration<ResourceIdentifier>
{
    public void Configure(EntityTypeBuilder<ResourceIdentifier> builder)
    {
        builder.HasKey(r => r.Oid);
        builder.Property(r => r.Oid).HasMaxLength(256);
        // Rows are never deleted, so the unique serial is the proof it was never reused.
        builder.HasIndex(r => r.Serial).IsUnique();
        builder.Property(r => r.AdministrativeCode).HasMaxLength(6);
        builder.Property(r => r.CategoryCode).HasMaxLength(9);
        builder.Property(r => r.SubcategoryCode).HasMaxLength(9);
        builder.Property(r => r.DetailCode).HasMaxLength(9);
        builder.Property(r => r.IssuedBy).HasMaxLength(200);
        builder.Property(r => r.WithdrawnBy).HasMaxLength(200);
        builder.Property(r => r.WithdrawalReason).HasMaxLength(2000);
    }
}
