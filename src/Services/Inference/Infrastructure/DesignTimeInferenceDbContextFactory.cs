using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MedImaging.Inference.Infrastructure;

// Only for `dotnet ef migrations add`: it never connects, it needs the provider and the history table's schema.
internal sealed class DesignTimeInferenceDbContextFactory : IDesignTimeDbContextFactory<InferenceDbContext>
{
    public InferenceDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<InferenceDbContext>()
        .UseNpgsql("Host=design-time", o => o.MigrationsHistoryTable("__ef_migrations_history", InferenceDbContext.Schema))
        .UseSnakeCaseNamingConvention()
        .Options);
}
