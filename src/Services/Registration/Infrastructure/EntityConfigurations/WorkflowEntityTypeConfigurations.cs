using System.Text.Json;
using MedImaging.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Registration.Infrastructure.EntityConfigurations;

internal sealed class ResourceEntityTypeConfiguration : IEntityTypeConfiguration<Resource>
{
    /// <summary>How the jsonb columns are written; ingest's writer reads and writes <c>values</c> with the same options.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The shadow property mapped to the row's xmin, the entry's optimistic concurrency token.</summary>
    public const string RowVersion = "RowVersion";

    public void Configure(EntityTypeBuilder<Resource> builder)
    {
        builder.ToTable("resources");
        builder.HasIndex(r => r.StudyId).IsUnique();
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        // 资源标识符: one entry, one OID, for good.
        builder.Property(r => r.ResourceIdentifier).HasMaxLength(256);
        builder.HasIndex(r => r.ResourceIdentifier).IsUnique();
        builder.Property(r => r.CheckedAgainst).HasMaxLength(100);
        builder.Property(r => r.Problems).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            s => JsonSerializer.Deserialize<List<CatalogueProblem>>(s, Json) ?? new List<CatalogueProblem>(),
            new ValueComparer<List<CatalogueProblem>>(
                (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
                v => v.ToList()));
        builder.HasIndex(r => r.State);
        // Every read filters on these two (CallerScope): clearance codes and, for hospital staff, their institution.
        // Unbounded text: a cataloguer's value, however long, must never make the entry unsavable.
        builder.HasIndex(r => new { r.Institution, r.SecurityClassification });
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Title).HasMaxLength(500);
        builder.Property(r => r.UpdatedBy).HasMaxLength(200);
        builder.Property(r => r.RecordVersion).IsConcurrencyToken();
        // PostgreSQL's xmin changes with every write to the row, ingest's SQL included: a save over a row that changed since
        // it was read fails (a 409) instead of silently undoing the other write. A system column, so no migration adds it.
        builder.Property<uint>(RowVersion).IsRowVersion().HasColumnName("xmin").HasColumnType("xid");
        // The values are replaced as a whole list, so comparing their JSON is an exact change check.
        // Rewritten by ingest whenever its study gets instances: lz4 compresses it at a fraction of pglz's cost.
        builder.Property(r => r.Values).HasColumnType("jsonb").UseCompressionMethod("lz4").HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            s => JsonSerializer.Deserialize<List<AssignedValue>>(s, Json) ?? new List<AssignedValue>(),
            new ValueComparer<List<AssignedValue>>(
                (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
                v => v.ToList()));
        builder.HasOne<Study>().WithMany().HasForeignKey(r => r.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ResourceTransitionEntityTypeConfiguration : IEntityTypeConfiguration<ResourceTransition>
{
    public void Configure(EntityTypeBuilder<ResourceTransition> builder)
    {
        builder.ToTable("resource_transitions");
        builder.Property(t => t.Action).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.FromState).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.ToState).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Actor).HasMaxLength(200);
        builder.HasIndex(t => new { t.ResourceId, t.At });
        builder.HasOne<Resource>().WithMany().HasForeignKey(t => t.ResourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AcquisitionBatchEntityTypeConfiguration : IEntityTypeConfiguration<AcquisitionBatch>
{
    public void Configure(EntityTypeBuilder<AcquisitionBatch> builder)
    {
        builder.ToTable("acquisition_batches");
        builder.Property(b => b.Adapter).HasMaxLength(200);
        builder.Property(b => b.TargetStudyUid).HasMaxLength(64);
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(b => b.Channel).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(b => new { b.Adapter, b.StartedAt });
        builder.HasIndex(b => b.StartedAt);
    }
}

internal sealed class AcquisitionItemEntityTypeConfiguration : IEntityTypeConfiguration<AcquisitionItem>
{
    public void Configure(EntityTypeBuilder<AcquisitionItem> builder)
    {
        builder.ToTable("acquisition_items");
        builder.Property(i => i.SopInstanceUid).HasMaxLength(64);
        builder.Property(i => i.SopClassUid).HasMaxLength(64);
        builder.Property(i => i.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.FailureReason).HasConversion<int?>();
        builder.HasIndex(i => new { i.BatchId, i.Ordinal }).IsUnique();
        builder.HasOne<AcquisitionBatch>().WithMany().HasForeignKey(i => i.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}
