using MedImaging.Exchange.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Exchange.Infrastructure.EntityConfigurations;

internal sealed class AuditRecordEntityTypeConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> e)
    {
        e.ToTable("audit_records");
        e.HasKey(r => r.Sequence);
        // The appender assigns the sequence itself (the chain head + 1, under a lock), so there are never gaps.
        e.Property(r => r.Sequence).ValueGeneratedNever();
        e.HasIndex(r => r.EventId).IsUnique();
        e.Property(r => r.Details).HasColumnType("jsonb");
        foreach (var name in new[] { nameof(AuditRecord.Node), nameof(AuditRecord.Service), nameof(AuditRecord.ActorId), nameof(AuditRecord.Action), nameof(AuditRecord.Outcome) })
            e.Property(name).HasMaxLength(200);
        // The regulator's filters, each with the sequence for keyset paging.
        e.HasIndex(r => new { r.OccurredAt, r.Sequence });
        e.HasIndex(r => new { r.ActorId, r.Sequence });
        e.HasIndex(r => new { r.Action, r.Sequence });
        e.HasIndex(r => new { r.ResourceId, r.Sequence });
        e.HasIndex(r => new { r.ActorInstitution, r.Sequence });
    }
}
