using MedImaging.Exchange.Federation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Exchange.Infrastructure.EntityConfigurations;

internal sealed class FederatedEntryRecordEntityTypeConfiguration : IEntityTypeConfiguration<FederatedEntryRecord>
{
    public void Configure(EntityTypeBuilder<FederatedEntryRecord> e)
    {
        e.ToTable("federated_entries");
        e.HasKey(x => new { x.OriginNode, x.ResourceId });
        e.Property(x => x.OriginNode).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.ReceivedFrom).HasMaxLength(64);
        e.Property(x => x.Share).HasMaxLength(16);
        e.Property(x => x.ClassificationCode).HasMaxLength(32);
        e.Property(x => x.SecurityClassification).HasMaxLength(32);
        // Link status: the last entry applied from each neighbour.
        e.HasIndex(x => new { x.ReceivedFrom, x.AppliedAt });
    }
}

internal sealed class FederationShareEntityTypeConfiguration : IEntityTypeConfiguration<FederationShare>
{
    public void Configure(EntityTypeBuilder<FederationShare> e)
    {
        e.ToTable("federation_shares");
        e.HasKey(x => new { x.OriginNode, x.ResourceId, x.Target });
        e.Property(x => x.Target).HasMaxLength(64);
        e.Property(x => x.OriginNode).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Direction).HasMaxLength(16);
        e.Property(x => x.Share).HasMaxLength(16);
        e.Property(x => x.ClassificationCode).HasMaxLength(32);
        e.Property(x => x.SecurityClassification).HasMaxLength(32);
        e.Ignore(x => x.Held);
        e.HasIndex(x => new { x.Target, x.SentAt });
    }
}

internal sealed class FederationRefusalEntityTypeConfiguration : IEntityTypeConfiguration<FederationRefusal>
{
    public void Configure(EntityTypeBuilder<FederationRefusal> e)
    {
        e.ToTable("federation_refusals");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.Sender).HasMaxLength(64);
        e.Property(x => x.OriginNode).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Message).HasColumnType("jsonb");
        e.HasIndex(x => x.ReceivedAt);
    }
}
