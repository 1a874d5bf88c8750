using MedImaging.Exchange.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Exchange.Infrastructure.EntityConfigurations;

internal sealed class AnchorRecordEntityTypeConfiguration : IEntityTypeConfiguration<AnchorRecord>
{
    public void Configure(EntityTypeBuilder<AnchorRecord> e)
    {
        e.ToTable("audit_anchors");
        e.HasKey(a => a.Sequence);
        // The anchored row's sequence, set by the signer; no foreign key, because an anchor must outlive a row cut off the end.
        e.Property(a => a.Sequence).ValueGeneratedNever();
        e.Property(a => a.Node).HasMaxLength(200);
        e.Property(a => a.KeyId).HasMaxLength(100);
        e.Property(a => a.Algorithm).HasMaxLength(20);
    }
}
