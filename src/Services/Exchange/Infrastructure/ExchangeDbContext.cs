using MedImaging.Exchange.Audit;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Exchange.Infrastructure;

public sealed class ExchangeDbContext(DbContextOptions<ExchangeDbContext> options) : DbContext(options)
{
    public const string Schema = "exchange";

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<AnchorRecord> AuditAnchors => Set<AnchorRecord>();

    public DbSet<Federation.FederatedEntryRecord> FederatedEntries => Set<Federation.FederatedEntryRecord>();

    public DbSet<Federation.FederationShare> FederationShares => Set<Federation.FederationShare>();

    public DbSet<Federation.FederationRefusal> FederationRefusals => Set<Federation.FederationRefusal>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ExchangeDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
