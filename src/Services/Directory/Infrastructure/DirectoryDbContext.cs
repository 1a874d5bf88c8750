using MedImaging.Directory.Domain;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Infrastructure;

public sealed class DirectoryDbContext(DbContextOptions<DirectoryDbContext> options) : DbContext(options)
{
    public const string Schema = "directory";

    public DbSet<SchemaVersion> SchemaVersions => Set<SchemaVersion>();
    public DbSet<CatalogEntry> CatalogEntries => Set<CatalogEntry>();
    public DbSet<UsageCount> UsageCounts => Set<UsageCount>();
    public DbSet<RebuildRun> RebuildRuns => Set<RebuildRun>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<EntryRating> EntryRatings => Set<EntryRating>();
    public DbSet<EntryComment> EntryComments => Set<EntryComment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DirectoryDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
