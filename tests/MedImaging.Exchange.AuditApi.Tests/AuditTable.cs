using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>
/// The Exchange schema for a test node, before its host starts. exchange.audit_records comes from a migration written on
/// another branch (the audit store); until that is merged, the model is ahead of the migrations — which EF refuses at
/// Migrate (PendingModelChangesWarning) — so the test applies the migrations there are and then creates what the model
/// holds beyond them, the same operations `dotnet ef migrations add` would generate. Once the migration exists, the
/// migrations create everything and the second step finds nothing to do.
/// </summary>
internal static class AuditTable
{
    public static async Task CreateSchemaAsync(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ExchangeDbContext>();
        options.UseServiceDatabase(connectionString, ExchangeDbContext.Schema)
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        await using var db = new ExchangeDbContext(options.Options);
        await db.Database.MigrateAsync();
        var exists = await db.Database
            .SqlQueryRaw<bool>("SELECT to_regclass('exchange.audit_records') IS NOT NULL AS \"Value\"").SingleAsync();
        if (exists) return;

        var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot?.Model;
        if (snapshot is IMutableModel mutable) snapshot = mutable.FinalizeModel();
        if (snapshot is not null) snapshot = db.GetService<IModelRuntimeInitializer>().Initialize(snapshot);
        var target = db.GetService<IDesignTimeModel>().Model;
        var operations = db.GetService<IMigrationsModelDiffer>().GetDifferences(snapshot?.GetRelationalModel(), target.GetRelationalModel());
        foreach (var command in db.GetService<IMigrationsSqlGenerator>().Generate(operations, target))
            await db.Database.ExecuteSqlRawAsync(command.CommandText);
    }
}
