using MedImaging.Registration.Domain;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Infrastructure;

public sealed class RegistrationDbContext(DbContextOptions<RegistrationDbContext> options) : DbContext(options)
{
    public const string Schema = "registration";

    public DbSet<ActiveMetadataSet> ActiveMetadataSets => Set<ActiveMetadataSet>();
    public DbSet<Study> Studies => Set<Study>();
    public DbSet<Series> Series => Set<Series>();
    public DbSet<Instance> Instances => Set<Instance>();
    public DbSet<InstanceVersion> InstanceVersions => Set<InstanceVersion>();
    public DbSet<PhiRecord> PhiRecords => Set<PhiRecord>();
    public DbSet<AcquisitionBatch> AcquisitionBatches => Set<AcquisitionBatch>();
    public DbSet<AcquisitionItem> AcquisitionItems => Set<AcquisitionItem>();
    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<ResourceTransition> ResourceTransitions => Set<ResourceTransition>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistrationDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
