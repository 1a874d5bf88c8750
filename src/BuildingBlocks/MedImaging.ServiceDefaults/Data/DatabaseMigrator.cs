using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MedImaging.ServiceDefaults.Data;

/// <summary>Applies one DbContext's migrations. Deployment runs it as a one-shot step (<c>--migrate</c>) before the APIs.</summary>
public interface IDatabaseMigrator
{
    string Name { get; }
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// With ConnectionStrings:PostgresAdmin (the migration step) it provisions the service's owner and run-time roles, migrates
/// as the owner and grants the run-time role its data access (docs/adr/0022). Without it (a run-time host) it only checks
/// that nothing is pending, or migrates on ConnectionStrings:Postgres as before the roles existed.
/// </summary>
internal sealed class DatabaseMigrator<TContext>(IServiceScopeFactory scopes, ServiceHostContext host, ServiceDatabase<TContext> database,
    ILogger<DatabaseMigrator<TContext>> logger) : IDatabaseMigrator
    where TContext : DbContext
{
    public string Name => typeof(TContext).Name;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        if (host.RequiredConnections.PostgresAdmin is { } adminConnectionString)
            await MigrateAsOwnerAsync(db, adminConnectionString, cancellationToken);
        else
            await MigrateWithoutAdminAsync(db, cancellationToken);
    }

    private async Task MigrateAsOwnerAsync(TContext db, string adminConnectionString, CancellationToken ct)
    {
        var roles = DatabaseRoleNames.For(host.RequiredNode.Database, host.ServiceName);
        var runTime = new NpgsqlConnectionStringBuilder(host.RequiredConnections.Postgres);
        if (runTime.Username != roles.RunTime)
            throw new NodeConfigurationException(
                $"ConnectionStrings:Postgres logs in as '{runTime.Username}', but {host.ServiceName}'s run-time database role is '{roles.RunTime}' " +
                "(with ConnectionStrings:PostgresAdmin set, the migration step creates that role with ConnectionStrings:Postgres's password; docs/adr/0022).");

        // Unpooled: the advisory lock and SET ROLE must end with this connection, not linger in a pool.
        // Persist Security Info: EF clones the connection (database exists?) from its string, password included.
        var admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false, PersistSecurityInfo = true };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        var provisioning = new DatabaseRoleProvisioning(connection, roles, database.Schema);
        await provisioning.PrepareAsync(string.IsNullOrEmpty(runTime.Password) ? null : runTime.Password, ct);
        await provisioning.BecomeOwnerAsync(ct);

        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        await provisioning.GrantAsync(database.AppendOnlyTables, ct);
        logger.LogInformation("{Context}: applied {Count} migration(s) {Migrations} as {Owner}; {RunTime} granted", Name, pending.Count, pending,
            roles.Owner, roles.RunTime);
    }

    private async Task MigrateWithoutAdminAsync(TContext db, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count == 0)
        {
            logger.LogInformation("{Context}: no pending migrations", Name);
            return;
        }
        try
        {
            await db.Database.MigrateAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new NodeConfigurationException(
                $"{Name}: {pending.Count} migration(s) pending and {new NpgsqlConnectionStringBuilder(host.RequiredConnections.Postgres).Username} " +
                $"may not apply them ({ex.MessageText}): run the migration step with ConnectionStrings:PostgresAdmin (docs/adr/0022).", ex);
        }
        logger.LogInformation("{Context}: applied {Count} migration(s) {Migrations}", Name, pending.Count, pending);
    }
}

/// <summary>Development convenience: migrate before the rest of the host starts.</summary>
internal sealed class MigrateOnStartup(IEnumerable<IDatabaseMigrator> migrators) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var migrator in migrators)
            await migrator.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
