using MedImaging.Metadata.Domain;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Metadata.Infrastructure;

public sealed class MetadataDbContext(DbContextOptions<MetadataDbContext> options) : DbContext(options)
{
    public const string Schema = "metadata";

    public DbSet<MetadataSet> MetadataSets => Set<MetadataSet>();
    public DbSet<MetadataSetVersion> MetadataSetVersions => Set<MetadataSetVersion>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MetadataDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
