using MedImaging.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedImaging.Registration.Infrastructure.EntityConfigurations;

internal sealed class StudyEntityTypeConfiguration : IEntityTypeConfiguration<Study>
{
    public void Configure(EntityTypeBuilder<Study> builder)
    {
        builder.ToTable("studies");
        builder.HasIndex(s => s.StudyInstanceUid).IsUnique();
        builder.Property(s => s.StudyInstanceUid).HasMaxLength(64);
        builder.Property(s => s.PatientPseudonym).HasMaxLength(64);
        builder.Property(s => s.AccessionPseudonym).HasMaxLength(64);
        builder.Property(s => s.SourceAdapter).HasMaxLength(200);
        builder.Property(s => s.InstitutionCode).HasMaxLength(32);
        builder.Property(s => s.UnmatchedInstitutionName).HasMaxLength(200);
        builder.HasIndex(s => s.PatientPseudonym);
    }
}

internal sealed class SeriesEntityTypeConfiguration : IEntityTypeConfiguration<Series>
{
    public void Configure(EntityTypeBuilder<Series> builder)
    {
        builder.ToTable("series");
        builder.HasIndex(s => s.SeriesInstanceUid).IsUnique();
        builder.Property(s => s.SeriesInstanceUid).HasMaxLength(64);
        builder.Property(s => s.Modality).HasMaxLength(16);
        builder.Property(s => s.BodyPartExamined).HasMaxLength(64);
        builder.HasOne<Study>().WithMany().HasForeignKey(s => s.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InstanceEntityTypeConfiguration : IEntityTypeConfiguration<Instance>
{
    public void Configure(EntityTypeBuilder<Instance> builder)
    {
        builder.ToTable("instances");
        builder.HasIndex(i => i.SopInstanceUid).IsUnique();
        builder.Property(i => i.SopInstanceUid).HasMaxLength(64);
        builder.Property(i => i.SopClassUid).HasMaxLength(64);
        builder.Property(i => i.TransferSyntaxUid).HasMaxLength(64);
        builder.Property(i => i.ContentHash).HasMaxLength(64);
        builder.HasOne<Study>().WithMany().HasForeignKey(i => i.StudyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Series>().WithMany().HasForeignKey(i => i.SeriesId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InstanceVersionEntityTypeConfiguration : IEntityTypeConfiguration<InstanceVersion>
{
    public void Configure(EntityTypeBuilder<InstanceVersion> builder)
    {
        builder.ToTable("instance_versions");
        builder.HasIndex(v => new { v.InstanceId, v.Version }).IsUnique();
        builder.Property(v => v.ContentHash).HasMaxLength(64);
        builder.Property(v => v.PatientPseudonym).HasMaxLength(64);
        // lz4, not PostgreSQL's default pglz: every stored instance writes one of these (~3 KB, compressed in TOAST), and
        // pglz was the largest single cost of the ingest writer's backend (docs/adr/0008-ingest-throughput.md).
        builder.Property(v => v.Metadata).HasColumnType("jsonb").UseCompressionMethod("lz4");
        builder.HasOne<Instance>().WithMany().HasForeignKey(v => v.InstanceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PhiRecord>().WithMany().HasForeignKey(v => v.PhiRecordId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => v.BatchId);
    }
}

internal sealed class PhiRecordEntityTypeConfiguration : IEntityTypeConfiguration<PhiRecord>
{
    public void Configure(EntityTypeBuilder<PhiRecord> builder)
    {
        builder.ToTable("phi_vault");
        builder.HasIndex(p => p.Digest).IsUnique();
        builder.Property(p => p.Digest).HasMaxLength(64);
        builder.Property(p => p.KeyId).HasMaxLength(64);
    }
}
