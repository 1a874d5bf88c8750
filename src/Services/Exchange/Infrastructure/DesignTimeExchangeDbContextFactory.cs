using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Exchange.Infrastructure;

// Only for `dotnet ef migrations add`: it never connects, it needs the provider and the history table's schema.
internal sealed class DesignTimeExchangeDbContextFactory : IDesignTimeDbContextFactory<ExchangeDbContext>
{
    public ExchangeDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<ExchangeDbContext>()
        .UseNpgsql("Host=design-time", o => o.MigrationsHistoryTable("__ef_migrations_history", ExchangeDbContext.Schema))
        .UseSnakeCaseNamingConvention()
        .Options);
}
