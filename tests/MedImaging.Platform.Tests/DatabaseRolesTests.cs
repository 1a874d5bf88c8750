using System.Net;
using System.Net.Http.Json;
using MedImaging.Metadata;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedImaging.Platform.Tests;

/// <summary>
/// Each service logs in to PostgreSQL as a role of its own that may read and write its own tables and nothing else
/// (docs/adr/0022). The assertions run SQL as those roles directly, as a compromised service would.
/// </summary>
public sealed class DatabaseRolesTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("zhengding");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task AHostWaitsForAnotherHostsMigrationLongerThanACommandTimeout()
    {
        // Another host of the node is migrating (it holds the migration lock) for longer than a command's 30 s timeout,
        // as the last of six hosts starting together on a busy machine waits: the host waits, then starts.
        await using var holder = new NpgsqlConnection(_node.PostgresConnectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('medcat-database-roles'))", holder))
            await take.ExecuteNonQueryAsync();
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        var starting = Task.Run(() => metadata.CreateClient().Dispose());
        await Task.Delay(TimeSpan.FromSeconds(35));
        Assert.False(starting.IsCompleted, starting.Exception?.ToString() ?? "the host started while another held the migration lock");
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext('medcat-database-roles'))", holder))
            await release.ExecuteNonQueryAsync();
        await starting.WaitAsync(TimeSpan.FromMinutes(2));
        using var client = metadata.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task AServiceCannotReadAnotherServicesTables()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        metadata.CreateClient().Dispose();
        await using var registration = new ServiceFactory<RegistrationServiceMarker>(_node);
        registration.CreateClient().Dispose();

        // Each reads its own tables …
        Assert.True(await ScalarAsAsync<long>("registration", "SELECT count(*) FROM registration.acquisition_batches") >= 0);
        Assert.True(await ScalarAsAsync<long>("metadata", "SELECT count(*) FROM metadata.metadata_sets") > 0);
        // … and is refused the other's, either way round.
        await AssertDeniedAsync("registration", "SELECT count(*) FROM metadata.metadata_sets");
        await AssertDeniedAsync("registration", "SELECT count(*) FROM metadata.outbox_messages");
        await AssertDeniedAsync("metadata", "SELECT count(*) FROM registration.acquisition_batches");
        await AssertDeniedAsync("metadata", "INSERT INTO registration.inbox_messages (message_id, consumer, message_type) VALUES (gen_random_uuid(), 'x', 'x')");
    }

    [Fact]
    public async Task TheRunTimeRoleCannotChangeItsOwnSchema()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        metadata.CreateClient().Dispose();

        await AssertDeniedAsync("metadata", "CREATE TABLE metadata.intruder (id int)");
        await AssertDeniedAsync("metadata", "ALTER TABLE metadata.metadata_sets ADD COLUMN intruder int");
        await AssertDeniedAsync("metadata", "DROP TABLE metadata.provenance");
        await AssertDeniedAsync("metadata", "TRUNCATE metadata.provenance");
        await AssertDeniedAsync("metadata", "CREATE INDEX ix_intruder ON metadata.metadata_sets (code)");
        await AssertDeniedAsync("metadata", "UPDATE metadata.__ef_migrations_history SET product_version = 'x'");
        // PostgreSQL 15 no longer lets everyone create in public: nothing of ours grants it back.
        await AssertDeniedAsync("metadata", "CREATE TABLE public.intruder (id int)");

        await using var conn = new NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        var roles = DatabaseRoleNames.For(_node.Database, "metadata");
        Assert.Equal(roles.Owner, await ScalarAsync<string>(conn, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'metadata'"));
        Assert.Equal(0L, await ScalarAsync<long>(conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'metadata' AND tableowner <> $1", roles.Owner));
        Assert.False(await ScalarAsync<bool>(conn, "SELECT pg_has_role($1, $2, 'MEMBER')", roles.RunTime, roles.Owner));
        Assert.False(await ScalarAsync<bool>(conn, "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = $1", roles.RunTime));
    }

    [Fact]
    public async Task TablesOfLaterMigrationsAreGrantedByDefault()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        metadata.CreateClient().Dispose();

        // A table the owner creates after the grants ran, as a later migration would, before any re-grant.
        await using (var conn = new NpgsqlConnection(_node.PostgresConnectionString))
        {
            await conn.OpenAsync();
            await ExecuteAsync(conn, $"SET ROLE \"{DatabaseRoleNames.For(_node.Database, "metadata").Owner}\"");
            await ExecuteAsync(conn, "CREATE TABLE metadata.later (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, note text)");
        }

        await ScalarAsAsync<object>("metadata", "INSERT INTO metadata.later (note) VALUES ('granted') RETURNING id");
        Assert.Equal("granted", await ScalarAsAsync<string>("metadata", "SELECT note FROM metadata.later"));
    }

    [Fact]
    public async Task AHostWithOnlyItsRunTimeCredentialsStartsAndWorks()
    {
        // The migration step (the administrative connection) ran once …
        await using (var migrate = new ServiceFactory<MetadataServiceMarker>(_node)) migrate.CreateClient().Dispose();

        // … the host then runs, as in production, with ConnectionStrings:Postgres its own role and no administrative string.
        await using var host = new ServiceFactory<MetadataServiceMarker>(_node, new Dictionary<string, string?>
        {
            ["ConnectionStrings:PostgresAdmin"] = null,
        });
        using var client = host.CreateClient().WithToken(TestTokens.Create(_node, "admin", Roles.Admin));
        var context = host.Services.GetRequiredService<ServiceHostContext>();
        Assert.Null(context.RequiredConnections.PostgresAdmin);
        Assert.Equal(DatabaseRoleNames.For(_node.Database, "metadata").RunTime, new NpgsqlConnectionStringBuilder(context.RequiredConnections.Postgres).Username);

        (await client.PostAsJsonAsync("/sets", new { code = "runtime", nameZh = "运行", nameEn = "Run time" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sets/runtime")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(1L, await ScalarAsAsync<long>("metadata", "SELECT count(*) FROM metadata.metadata_sets WHERE code = 'runtime'"));
    }

    [Fact]
    public async Task MigratingADatabaseTheSuperuserOwnsHandsItToTheOwnerRole()
    {
        // Migrated before the roles existed: the host logged in as the superuser and created everything itself.
        await using (var before = new ServiceFactory<MetadataServiceMarker>(_node, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _node.Servers.Postgres,
            ["ConnectionStrings:PostgresAdmin"] = null,
        }))
        {
            before.CreateClient().Dispose();
        }
        await using var conn = new NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        var superuser = new NpgsqlConnectionStringBuilder(_node.Servers.Postgres).Username;
        Assert.Equal(superuser, await ScalarAsync<string>(conn, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'metadata'"));
        var sets = await ScalarAsync<long>(conn, "SELECT count(*) FROM metadata.metadata_sets");

        // After `git pull && up.sh`: the migration step with the administrative connection takes it over.
        await using var after = new ServiceFactory<MetadataServiceMarker>(_node);
        after.CreateClient().Dispose();

        var owner = DatabaseRoleNames.For(_node.Database, "metadata").Owner;
        Assert.Equal(owner, await ScalarAsync<string>(conn, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'metadata'"));
        Assert.Equal(0L, await ScalarAsync<long>(conn, """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'metadata' AND c.relkind IN ('r', 'S', 'i') AND c.relowner <> $1::regrole
            """, owner));
        Assert.Equal(sets, await ScalarAsAsync<long>("metadata", "SELECT count(*) FROM metadata.metadata_sets"));
        await AssertDeniedAsync("metadata", "DROP TABLE metadata.provenance");
    }

    [Fact]
    public void RoleNamesAreDerivedFromTheDatabaseAndServiceWithinPostgresLimit()
    {
        var roles = DatabaseRoleNames.For("medcat_hebei", "registration");
        Assert.Equal("medcat_hebei_registration", roles.RunTime);
        Assert.Equal("medcat_hebei_registration_owner", roles.Owner);
        var tooLong = Assert.Throws<MedImaging.ServiceDefaults.Node.NodeConfigurationException>(() => DatabaseRoleNames.For(new string('d', 50), "registration"));
        Assert.Contains("63", tooLong.Message, StringComparison.Ordinal);
    }

    private async Task AssertDeniedAsync(string service, string sql)
    {
        await using var conn = new NpgsqlConnection(_node.RunTimeConnectionString(service));
        await conn.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(conn, sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
    }

    private async Task<T> ScalarAsAsync<T>(string service, string sql)
    {
        await using var conn = new NpgsqlConnection(_node.RunTimeConnectionString(service));
        await conn.OpenAsync();
        return await ScalarAsync<T>(conn, sql);
    }

    internal static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var arg in args) cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    internal static async Task ExecuteAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
