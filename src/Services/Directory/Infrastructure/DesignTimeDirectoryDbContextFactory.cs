using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Directory.Infrastructure;

// Only for `dotnet ef migrations add`: it never connects, it needs the provider and the history table's schema.
internal sealed class DesignTimeDirectoryDbContextFactory : IDesignTimeDbContextFactory<DirectoryDbContext>
{
    public DirectoryDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<DirectoryDbContext>()
        .UseNpgsql("Host=design-time", o => o.MigrationsHistoryTable("__ef_migrations_history", DirectoryDbContext.Schema))
        .UseSnakeCaseNamingConvention()
        .Options);
}
