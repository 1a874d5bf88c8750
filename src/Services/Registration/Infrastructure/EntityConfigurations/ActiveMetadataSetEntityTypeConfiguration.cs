using MedImaging.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Registration.Infrastructure.EntityConfigurations;

internal sealed class ActiveMetadataSetEntityTypeConfiguration : IEntityTypeConfiguration<ActiveMetadataSet>
{
    public void Configure(EntityTypeBuilder<ActiveMetadataSet> builder)
    {
        builder.HasKey(s => s.SetCode);
        builder.Property(s => s.SetCode).HasMaxLength(64);
        builder.Property(s => s.ActivatedBy).HasMaxLength(200);
    }
}
