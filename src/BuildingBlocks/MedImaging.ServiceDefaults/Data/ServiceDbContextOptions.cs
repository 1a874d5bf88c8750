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
            .UseNpgsql(WithWriteBuffer(connectionString), npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", schema))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// Npgsql writes some parameter types whole into its write buffer (a tsquery among them: the directory's search sends
    /// one with every concept's terms in it) and fails with "Not enough space left in buffer" beyond it; the default 8 KiB
    /// is too small for a query expanded to a concept's narrower terms. 256 KiB per pooled connection is a small price.
    /// </summary>
    public const int WriteBufferSize = 256 * 1024;

    private static string WithWriteBuffer(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.WriteBufferSize < WriteBufferSize) builder.WriteBufferSize = WriteBufferSize;
        return builder.ConnectionString;
    }

    /// <summary>Options for a design-time factory: the provider and conventions, no connection is ever opened.</summary>
    public static DbContextOptions<TContext> ForDesignTime<TContext>(string schema) where TContext : DbContext =>
        (DbContextOptions<TContext>)new DbContextOptionsBuilder<TContext>().UseServiceDatabase("Host=design-time", schema).Options;
}
