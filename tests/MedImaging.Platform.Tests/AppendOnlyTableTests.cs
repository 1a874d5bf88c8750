using MedImaging.ServiceDefaults;
using MedImaging.ServiceDefaults.Data;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace MedImaging.Platform.Tests;

/// <summary>
/// A table a service declares append-only (<c>AddServiceDbContext(schema, appendOnlyTables)</c>, the audit trail's kind)
/// can be read and appended to by the service's run-time role, never changed or emptied. A small service of its own
/// ("ledger") migrated by the real migrator, so the test does not wait for a real service to declare one.
/// </summary>
public sealed class AppendOnlyTableTests : IAsyncLifetime
{
    private const string Service = "ledger";
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("zhengding");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task TheRunTimeRoleMayOnlySelectAndInsertOnAnAppendOnlyTable()
    {
        await MigrateAsync(["entries"]);

        await using var conn = new NpgsqlConnection(_node.RunTimeConnectionString(Service));
        await conn.OpenAsync();
        await DatabaseRolesTests.ExecuteAsync(conn, "INSERT INTO ledger.entries (note) VALUES ('first'), ('second')");
        Assert.Equal(2L, await DatabaseRolesTests.ScalarAsync<long>(conn, "SELECT count(*) FROM ledger.entries"));
        await AssertDeniedAsync(conn, "UPDATE ledger.entries SET note = 'changed'");
        await AssertDeniedAsync(conn, "DELETE FROM ledger.entries WHERE note = 'first'");
        await AssertDeniedAsync(conn, "TRUNCATE ledger.entries");
        // The service's other tables stay fully writable.
        await DatabaseRolesTests.ExecuteAsync(conn, "INSERT INTO ledger.notes (note) VALUES ('a')");
        await DatabaseRolesTests.ExecuteAsync(conn, "UPDATE ledger.notes SET note = 'b'");
        await DatabaseRolesTests.ExecuteAsync(conn, "DELETE FROM ledger.notes");

        // Migrating again re-grants (default privileges would give UPDATE and DELETE to a new table): still append-only.
        await MigrateAsync(["entries"]);
        await AssertDeniedAsync(conn, "UPDATE ledger.entries SET note = 'changed'");
        await AssertDeniedAsync(conn, "DELETE FROM ledger.entries");
        Assert.Equal(2L, await DatabaseRolesTests.ScalarAsync<long>(conn, "SELECT count(*) FROM ledger.entries WHERE note IN ('first', 'second')"));
    }

    [Fact]
    public async Task DeclaringATableNoMigrationCreatesFailsTheMigration()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrateAsync(["entrys"]));
        Assert.Contains("ledger.entrys", ex.Message, StringComparison.Ordinal);
    }

    private static async Task AssertDeniedAsync(NpgsqlConnection conn, string sql)
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() => DatabaseRolesTests.ExecuteAsync(conn, sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
    }

    /// <summary>What <c>--migrate</c> does, for a host of the ledger service.</summary>
    private async Task MigrateAsync(string[] appendOnlyTables)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(_node.SettingsFor(Service));
        builder.Configuration["Database:MigrateOnStartup"] = "false";
        builder.AddServiceDefaults(Service);
        builder.AddServiceDbContext<LedgerDbContext>(LedgerDbContext.Schema, appendOnlyTables);
        await using var app = builder.Build();
        foreach (var migrator in app.Services.GetServices<IDatabaseMigrator>())
            await migrator.MigrateAsync(CancellationToken.None);
    }
}

public sealed class LedgerEntry
{
    public long Id { get; set; }
    public required string Note { get; set; }
}

public sealed class LedgerDbContext(DbContextOptions<LedgerDbContext> options) : DbContext(options)
{
    public const string Schema = "ledger";

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        // The migration below is written by hand, without a model snapshot.
        optionsBuilder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<LedgerEntry>().ToTable("entries");
    }
}

[DbContext(typeof(LedgerDbContext))]
[Migration("20261128230000_Ledger")]
public sealed class LedgerMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.EnsureSchema(LedgerDbContext.Schema);
        foreach (var table in new[] { "entries", "notes" })
            migrationBuilder.CreateTable(table, schema: LedgerDbContext.Schema,
                columns: t => new
                {
                    id = t.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    note = t.Column<string>(type: "text", nullable: false),
                },
                constraints: t => t.PrimaryKey($"pk_{table}", x => x.id));
    }
}
