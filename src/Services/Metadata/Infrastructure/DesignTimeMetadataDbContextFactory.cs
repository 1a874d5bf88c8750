using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Metadata.Infrastructure;

// Only for `dotnet ef migrations add`: it never connects, it needs the provider and the history table's schema.
internal sealed class DesignTimeMetadataDbContextFactory : IDesignTimeDbContextFactory<MetadataDbContext>
{
    public MetadataDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<MetadataDbContext>()
        .UseNpgsql("Host=design-time", o => o.MigrationsHistoryTable("__ef_migrations_history", MetadataDbContext.Schema))
        .UseSnakeCaseNamingConvention()
        .Options);
}
