using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedImaging.ServiceDefaults.Data;

/// <summary>Applies one DbContext's migrations. Deployment runs it as a one-shot step (<c>--migrate</c>) before the APIs.</summary>
public interface IDatabaseMigrator
{
    string Name { get; }
    Task MigrateAsync(CancellationToken cancellationToken);
}

internal sealed class DatabaseMigrator<TContext>(IServiceScopeFactory scopes, ILogger<DatabaseMigrator<TContext>> logger) : IDatabaseMigrator
    where TContext : DbContext
{
    public string Name => typeof(TContext).Name;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
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
