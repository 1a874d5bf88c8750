using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>
/// exchange.audit_records for a test node, before its host starts. The table's migration is written on another branch
/// (the audit store); until that is merged, the model is ahead of the migrations — which EF refuses at Migrate
/// (PendingModelChangesWarning) — so the test applies the migrations there are and then creates what the model holds
/// beyond them, the same operations `dotnet ef migrations add` would generate. Once the migration exists, the model has
/// no pending changes and the host migrates its database itself, as every other test host does.
/// </summary>
internal static class AuditTable
{
    /// <summary>True when it created the schema itself (the host must then not migrate); false when the host can.</summary>
    public static async Task<bool> CreateSchemaIfAheadOfMigrationsAsync(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ExchangeDbContext>();
        options.UseServiceDatabase(connectionString, ExchangeDbContext.Schema)
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        await using var db = new ExchangeDbContext(options.Options);
        if (!db.Database.HasPendingModelChanges()) return false;
        await db.Database.MigrateAsync();
        var exists = await db.Database
            .SqlQueryRaw<bool>("SELECT to_regclass('exchange.audit_records') IS NOT NULL AS \"Value\"").SingleAsync();
        if (exists) return true;

        var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot?.Model;
        // The snapshot is shared by every context on these options; HasPendingModelChanges may have finalised it already.
        if (snapshot is IMutableModel mutable and Annotatable { IsReadOnly: false }) snapshot = mutable.FinalizeModel();
        if (snapshot is not null) snapshot = db.GetService<IModelRuntimeInitializer>().Initialize(snapshot);
        var target = db.GetService<IDesignTimeModel>().Model;
        var operations = db.GetService<IMigrationsModelDiffer>().GetDifferences(snapshot?.GetRelationalModel(), target.GetRelationalModel());
        foreach (var command in db.GetService<IMigrationsSqlGenerator>().Generate(operations, target))
            await db.Database.ExecuteSqlRawAsync(command.CommandText);
        return true;
    }
}
