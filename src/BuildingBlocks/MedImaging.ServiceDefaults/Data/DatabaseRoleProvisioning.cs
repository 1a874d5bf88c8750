using Npgsql;

namespace MedImaging.ServiceDefaults.Data;

/// <summary>
/// What the migration step does on its administrative connection around a service's EF migrations (docs/adr/0022):
/// <see cref="PrepareAsync"/> creates the owner and run-time roles and hands the schema and everything in it to the
/// owner; <see cref="BecomeOwnerAsync"/> makes the connection act as the owner, so migrations create objects the owner
/// owns; <see cref="GrantAsync"/> gives the run-time role exactly data access, again after every migration.
/// Every step is idempotent: a second run changes nothing.
/// </summary>
internal sealed class DatabaseRoleProvisioning(NpgsqlConnection admin, DatabaseRoleNames roles, string schema)
{
    /// <summary>The EF history table: the run-time role may read it (is anything pending?) but never write it.</summary>
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    public async Task PrepareAsync(string? runTimePassword, CancellationToken ct)
    {
        // Role names are cluster-wide and GRANTs on one object from two sessions fail ("tuple concurrently updated"):
        // one migration at a time per database. Session-level; released when the (unpooled) connection closes.
        await LockAsync(ct);

        if (!await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", ct, roles.Owner))
            await ExecuteAsync($"CREATE ROLE {Quote(roles.Owner)} NOLOGIN", ct);
        if (!await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", ct, roles.RunTime))
            await ExecuteAsync($"CREATE ROLE {Quote(roles.RunTime)} LOGIN", ct);
        // The password comes from configuration on every run, so the file or secret it is kept in stays the one truth.
        var setLogin = runTimePassword is null
            ? $"ALTER ROLE {Quote(roles.RunTime)} WITH LOGIN"
            : await ScalarAsync<string>("SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', $1::text, $2::text)", ct, roles.RunTime, runTimePassword);
        await ExecuteAsync(setLogin, ct);
        if (await ScalarAsync<bool>("SELECT pg_has_role($1, $2, 'MEMBER')", ct, roles.RunTime, roles.Owner))
            await ExecuteAsync($"REVOKE {Quote(roles.Owner)} FROM {Quote(roles.RunTime)}", ct);
        // A superuser may SET ROLE to anyone; an administrator with CREATEROLE only to roles it is a member of.
        if (!await ScalarAsync<bool>("SELECT pg_has_role(current_user, $1, 'MEMBER')", ct, roles.Owner))
            await ExecuteAsync($"GRANT {Quote(roles.Owner)} TO CURRENT_USER", ct);

        await ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {Quote(schema)} AUTHORIZATION {Quote(roles.Owner)}", ct);
        await TakeOverAsync(ct);
    }

    /// <summary>
    /// Databases migrated before the roles existed have the schema and its objects owned by the superuser: the owner role
    /// takes them over (indexes, constraints, triggers and owned sequences move with their table).
    /// </summary>
    private async Task TakeOverAsync(CancellationToken ct)
    {
        string[] queries =
        [
            """
            SELECT format('ALTER SCHEMA %I OWNER TO %I', nspname, $2) FROM pg_namespace
            WHERE nspname = $1 AND nspowner <> $2::regrole
            """,
            """
            SELECT format('ALTER %s %I.%I OWNER TO %I',
                     CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                     n.nspname, c.relname, $2)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner <> $2::regrole
            """,
            // Sequences not owned by a column (those moved with their table above).
            """
            SELECT format('ALTER SEQUENCE %I.%I OWNER TO %I', n.nspname, c.relname, $2)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind = 'S' AND c.relowner <> $2::regrole
            """,
            """
            SELECT format('ALTER ROUTINE %I.%I(%s) OWNER TO %I', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), $2)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = $1 AND p.proowner <> $2::regrole
            """,
            // Enums, domains, ranges and stand-alone composite types (a table's row type moves with the table).
            """
            SELECT format('ALTER %s %I.%I OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname, $2)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = $1 AND t.typowner <> $2::regrole
              AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
            """,
        ];
        foreach (var query in queries)
            foreach (var statement in await StatementsAsync(query, ct))
                await ExecuteAsync(statement, ct);
    }

    /// <summary>From here on the connection acts as the owner role: what migrations create, the owner owns.</summary>
    public Task BecomeOwnerAsync(CancellationToken ct) => ExecuteAsync($"SET ROLE {Quote(roles.Owner)}", ct);

    /// <summary>
    /// As the owner, in one transaction (a running host never sees its rights half re-granted): USAGE on the schema, data
    /// access on every table (SELECT and INSERT only on the append-only ones and the migrations history), sequences, and
    /// default privileges for the tables later migrations add. Nothing else: no CREATE, no TRUNCATE, no ownership.
    /// </summary>
    public async Task GrantAsync(IReadOnlyCollection<string> appendOnlyTables, CancellationToken ct)
    {
        foreach (var table in appendOnlyTables)
            if (!await ScalarAsync<bool>("SELECT to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL", ct, schema, table))
                throw new InvalidOperationException(
                    $"Append-only table {schema}.{table} is declared (AddServiceDbContext) but no migration created it.");

        var s = Quote(schema);
        var rt = Quote(roles.RunTime);
        var owner = Quote(roles.Owner);
        List<string> statements =
        [
            $"REVOKE ALL ON SCHEMA {s} FROM PUBLIC",
            $"REVOKE ALL ON SCHEMA {s} FROM {rt}",
            $"GRANT USAGE ON SCHEMA {s} TO {rt}",
            $"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {rt}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {rt}",
            $"REVOKE INSERT, UPDATE, DELETE ON {s}.{Quote(MigrationsHistoryTable)} FROM {rt}",
            .. appendOnlyTables.Select(t => $"REVOKE UPDATE, DELETE ON {s}.{Quote(t)} FROM {rt}"),
            $"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {rt}",
            $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {rt}",
            $"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {rt}",
            $"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {rt}",
        ];
        await using var tx = await admin.BeginTransactionAsync(ct);
        foreach (var statement in statements)
            await ExecuteAsync(statement, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A quoted identifier (the names are plain already; quoting keeps it so whatever they are).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private async Task<List<string>> StatementsAsync(string query, CancellationToken ct)
    {
        await using var cmd = Command(query, schema, roles.Owner);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var statements = new List<string>();
        while (await reader.ReadAsync(ct)) statements.Add(reader.GetString(0));
        return statements;
    }

    /// <summary>How long a host waits for the other hosts of its node to finish migrating before it gives up.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);

    // The hosts of a node start together and migrate one after the other: on a busy machine the last one waits for
    // the other five, longer than a command's 30 s timeout. Ask without blocking, and wait up to LockWait.
    private async Task LockAsync(CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await ScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtext('medcat-database-roles'))", ct))
        {
            if (waited.Elapsed > LockWait)
                throw new TimeoutException($"Another host has been migrating database {admin.Database} for more than {LockWait.TotalMinutes:0} minutes; "
                    + "look for a stuck migration (pg_locks, advisory lock on hashtext('medcat-database-roles')).");
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var cmd = Command(sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = Command(sql, args);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private NpgsqlCommand Command(string sql, params object[] args)
    {
        var cmd = new NpgsqlCommand(sql, admin);
        foreach (var arg in args) cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        return cmd;
    }
}
