using Microsoft.EntityFrameworkCore;

namespace MedImaging.ServiceDefaults.Data;

/// <summary>
/// How every service's DbContext talks to PostgreSQL — at run time and when `dotnet ef migrations add` builds the
/// model — so that migrations are generated with exactly the conventions the hosts run with.
/// </summary>
public static class ServiceDbContextOptions
{
    public static DbContextOptionsBuilder UseServiceDatabase(this DbContextOptionsBuilder options, string connectionString, string schema) =>
        options
            // No retrying execution strategy: the outbox relay and the consumers own their transactions and retry
            // whole units of work themselves (MassTransit retry, relay backoff).
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", schema))
            .UseSnakeCaseNamingConvention();

    /// <summary>Options for a design-time factory: the provider and conventions, no connection is ever opened.</summary>
    public static DbContextOptions<TContext> ForDesignTime<TContext>(string schema) where TContext : DbContext =>
        (DbContextOptions<TContext>)new DbContextOptionsBuilder<TContext>().UseServiceDatabase("Host=design-time", schema).Options;
}
