using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Registration.Infrastructure;

// Only for `dotnet ef migrations add`: it never connects, it needs the provider and the history table's schema.
internal sealed class DesignTimeRegistrationDbContextFactory : IDesignTimeDbContextFactory<RegistrationDbContext>
{
    public RegistrationDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<RegistrationDbContext>()
        .UseNpgsql("Host=design-time", o => o.MigrationsHistoryTable("__ef_migrations_history", RegistrationDbContext.Schema))
        .UseSnakeCaseNamingConvention()
        .Options);
}
