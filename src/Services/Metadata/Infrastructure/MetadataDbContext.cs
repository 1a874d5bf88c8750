using MedImaging.Metadata.Domain;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Infrastructure;

public sealed class MetadataDbContext(DbContextOptions<MetadataDbContext> options) : DbContext(options)
{
    public const string Schema = "metadata";

    /// <summary>Source of 后段码: a sequence is outside transactions, so a serial is never handed out twice.</summary>
    public const string SerialSequence = "resource_identifier_serial";

    public DbSet<MetadataSet> MetadataSets => Set<MetadataSet>();
    public DbSet<MetadataSetVersion> MetadataSetVersions => Set<MetadataSetVersion>();
    public DbSet<MetadataEntity> MetadataEntities => Set<MetadataEntity>();
    public DbSet<MetadataElement> MetadataElements => Set<MetadataElement>();
    public DbSet<ProvenanceEntry> Provenance => Set<ProvenanceEntry>();
    public DbSet<ClassificationScheme> ClassificationSchemes => Set<ClassificationScheme>();
    public DbSet<ClassificationNode> ClassificationNodes => Set<ClassificationNode>();
    public DbSet<ClassificationSchemeRevision> ClassificationSchemeRevisions => Set<ClassificationSchemeRevision>();
    public DbSet<DicomClassificationRule> DicomClassificationRules => Set<DicomClassificationRule>();
    public DbSet<ResourceIdentifier> ResourceIdentifiers => Set<ResourceIdentifier>();
    public DbSet<MetadataRecord> MetadataRecords => Set<MetadataRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.HasSequence<long>(SerialSequence).StartsAt(1).IncrementsBy(1);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MetadataDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }

    public async Task<long> NextSerialAsync(CancellationToken ct) =>
        await Database.SqlQueryRaw<long>($"SELECT nextval('{Schema}.{SerialSequence}') AS \"Value\"").SingleAsync(ct);

    public void Record(string by, ChangeReason reason, string fallbackWhy, string subject, string action, object? details = null) =>
        Provenance.Add(new ProvenanceEntry
        {
            By = by,
            Why = reason.Why(fallbackWhy),
            Source = reason.From,
            Subject = subject,
            Action = action,
            Details = details is null ? null : System.Text.Json.JsonSerializer.Serialize(details, JsonColumns.Options),
        });
}
