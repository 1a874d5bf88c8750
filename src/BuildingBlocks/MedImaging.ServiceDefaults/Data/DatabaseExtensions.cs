using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedImaging.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's DbContext on the node's database, its migrations history in the service's own schema,
    /// the transactional outbox relay for it and the migrator that <c>--migrate</c> (and development start-up) runs.
    /// </summary>
    /// <param name="appendOnlyTables">Tables of the schema the service's run-time database role may only SELECT and INSERT
    /// (the audit trail): no UPDATE, DELETE or TRUNCATE is granted on them.</param>
    public static IHostApplicationBuilder AddServiceDbContext<TContext>(this IHostApplicationBuilder builder, string schema,
        IReadOnlyCollection<string>? appendOnlyTables = null)
        where TContext : DbContext
    {
        builder.Services.AddSingleton(new ServiceDatabase<TContext>(schema, appendOnlyTables ?? []));
        builder.Services.AddDbContext<TContext>((sp, options) =>
        {
            var host = sp.GetRequiredService<ServiceHostContext>();
            options.UseServiceDatabase(host.Connections?.Postgres ?? "Host=unconfigured", schema);
            options.AddInterceptors(sp.GetRequiredService<OutboxSignalInterceptor>());
        });
        builder.Services.AddSingleton<IDatabaseMigrator, DatabaseMigrator<TContext>>();
        builder.AddOutbox<TContext>();

        var auto = builder.Configuration.GetValue<bool?>("Database:MigrateOnStartup") ?? builder.Environment.IsDevelopment();
        // First among hosted services, so the outbox relay and the bus's consumers never meet a missing table.
        if (auto && !builder.Services.Any(d => d.ImplementationType == typeof(MigrateOnStartup)))
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrateOnStartup>());
        return builder;
    }
}
