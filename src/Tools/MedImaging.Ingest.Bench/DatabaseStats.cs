using System.Globalization;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Ingest.Bench;

/// <summary>Counters around a run (commits, rows, CPU of Registration and PostgreSQL) and the durability check after it.</summary>
public sealed class DatabaseStats(NodeTestEnvironment node)
{
    public sealed record Cpu(double Postgres, double Registration, double Bench, double Exchange, double RabbitMq);

    /// <summary>Counters after the wait; CPU read before it (<see cref="Ending"/>, for a line that just ended) and after
    /// it (<see cref="Starting"/>, for the line about to start), so the wait is in no line's CPU.</summary>
    public sealed record Snapshot(long Commits, long RowsInserted, Cpu Ending, Cpu Starting)
    {
        public string Per(Snapshot before, int instances, string label) => string.Create(CultureInfo.InvariantCulture,
            $"{label}: Registration process {(Ending.Registration - before.Starting.Registration) * 1000 / instances:F2} ms CPU/instance, " +
            $"PostgreSQL {(Ending.Postgres - before.Starting.Postgres) * 1000 / instances:F2} ms CPU/instance, " +
            $"benchmark client {(Ending.Bench - before.Starting.Bench) * 1000 / instances:F2} ms CPU/instance, " +
            $"Exchange (audit trail) {(Ending.Exchange - before.Starting.Exchange) * 1000 / instances:F2} ms CPU/instance, " +
            $"RabbitMQ {(Ending.RabbitMq - before.Starting.RabbitMq) * 1000 / instances:F2} ms CPU/instance; " +
            $"{(Commits - before.Commits) / (double)instances:F2} commits and {(RowsInserted - before.RowsInserted) / (double)instances:F1} rows inserted per instance");
    }

    public sealed record Durability(bool Ok, string Text);

    public async Task<Snapshot> SnapshotAsync(ChildProcess registration, ChildProcess? exchange)
    {
        // A backend publishes its statistics when it goes idle, but one that published less than a second before waits
        // PGSTAT_IDLE_INTERVAL (10 s) to do so: the writer's connection after a busy line always does.
        // The wait is not idle (autovacuum after a line, relay polls, heartbeats): it counts for neither line.
        var ending = CpuNow(registration, exchange);
        await Task.Delay(TimeSpan.FromSeconds(10.5));
        var (commits, rows) = await CountersAsync();
        return new Snapshot(commits, rows, ending, CpuNow(registration, exchange));
    }

    // RabbitMQ's Erlang VM is "beam.smp": the broker's share of the audit trail (and of every other event) shows there.
    private static Cpu CpuNow(ChildProcess registration, ChildProcess? exchange)
        => new(Machine.CpuSecondsOf("postgres"), registration.CpuTime.TotalSeconds, Environment.CpuUsage.TotalTime.TotalSeconds,
            exchange?.CpuTime.TotalSeconds ?? 0, Machine.CpuSecondsOf("beam.smp"));

    private async Task<(long Commits, long Rows)> CountersAsync()
    {
        await using var conn = new NpgsqlConnection(node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT xact_commit, tup_inserted FROM pg_stat_database WHERE datname = current_database()", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Committed instances, versions and acquisition items against what was sent; closed batches; series, study and
    /// catalogue entry counts against the instances; the StudyInstancesStored events staged with them; the server's fsync and synchronous_commit (a commit is
    /// only durable when both are on).</summary>
    /// <summary>
    /// VACUUM ANALYZE of the registration schema after the prewarm: the tables have just grown from nothing, and
    /// autovacuum would otherwise do this first pass (and the writer's statements re-plan) in the middle of the first
    /// measured line — a cost of a database a day old, not of steady ingest.
    /// </summary>
    public async Task SettleAsync()
    {
        await using var conn = new NpgsqlConnection(node.PostgresConnectionString);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'registration' ORDER BY 1", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        foreach (var t in tables)
        {
            await using var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) registration.\"{t}\"", conn);
            await vacuum.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Waits until the audit trail holds one row per acquisition batch (each request is one ingest-batch event), then says
    /// how long it lagged behind the last request and whether the chain is whole (no gap, one row per event).
    /// </summary>
    public async Task<string> AuditTrailAsync()
    {
        await using var conn = new NpgsqlConnection(node.PostgresConnectionString);
        await conn.OpenAsync();
        async Task<long> Count(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        var batches = await Count("SELECT count(*) FROM registration.acquisition_batches");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        long rows;
        while ((rows = await Count("SELECT count(*) FROM exchange.audit_records WHERE action = 'ingest-batch'")) < batches && waited.Elapsed < TimeSpan.FromMinutes(5))
            await Task.Delay(100);
        var gapFree = await Count("SELECT count(*) FROM exchange.audit_records") == await Count("SELECT coalesce(max(sequence), 0) FROM exchange.audit_records");
        return string.Create(CultureInfo.InvariantCulture,
            $"audit trail: {rows} ingest-batch rows for {batches} requests, appended {waited.Elapsed.TotalSeconds:F1} s after the last answer, chain {(gapFree ? "gap-free" : "WITH GAPS")}");
    }

    public async Task<Durability> DurabilityAsync(int sent)
    {
        await using var conn = new NpgsqlConnection(node.PostgresConnectionString);
        await conn.OpenAsync();
        async Task<string> Scalar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            return Convert.ToString(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
        }
        var instances = long.Parse(await Scalar("SELECT count(*) FROM registration.instances"), CultureInfo.InvariantCulture);
        var versions = long.Parse(await Scalar("SELECT count(*) FROM registration.instance_versions"), CultureInfo.InvariantCulture);
        var stored = long.Parse(await Scalar("SELECT count(*) FROM registration.acquisition_items WHERE outcome = 'Stored'"), CultureInfo.InvariantCulture);
        var studies = await Scalar("SELECT count(*) FROM registration.studies");
        var fsync = await Scalar("SHOW fsync");
        var sync = await Scalar("SHOW synchronous_commit");
        // What was answered must also add up: every batch closed, every aggregate and catalogue entry equal to the rows.
        var open = long.Parse(await Scalar("SELECT count(*) FROM registration.acquisition_batches WHERE status <> 'Completed' OR completed_at IS NULL"), CultureInfo.InvariantCulture);
        var badSeries = long.Parse(await Scalar("""
            SELECT count(*) FROM registration.series s WHERE s.instance_count <> (SELECT count(*) FROM registration.instances i WHERE i.series_id = s.id)
               OR s.total_size_bytes <> (SELECT coalesce(sum(size_bytes), 0) FROM registration.instances i WHERE i.series_id = s.id)
            """), CultureInfo.InvariantCulture);
        var badStudies = long.Parse(await Scalar("""
            SELECT count(*) FROM registration.studies s WHERE s.instance_count <> (SELECT count(*) FROM registration.instances i WHERE i.study_id = s.id)
               OR s.series_count <> (SELECT count(*) FROM registration.series x WHERE x.study_id = s.id AND x.instance_count > 0)
            """), CultureInfo.InvariantCulture);
        var badEntries = long.Parse(await Scalar("""
            SELECT count(*) FROM registration.studies s LEFT JOIN registration.resources r ON r.study_id = s.id
            WHERE r.id IS NULL OR NOT r.values @> jsonb_build_array(jsonb_build_object('element', 'numberOfInstances', 'value', s.instance_count::text))
            """), CultureInfo.InvariantCulture);
        // Every stored instance is announced: the Stored counts of the StudyInstancesStored events add up to the instances.
        var announced = long.Parse(await Scalar("""
            SELECT coalesce(sum((body->>'stored')::int), 0) FROM registration.outbox_messages
            WHERE message_type = 'MedImaging.Contracts.Registration.StudyInstancesStored'
            """), CultureInfo.InvariantCulture);
        var events = await Scalar("SELECT count(*) FROM registration.outbox_messages WHERE message_type = 'MedImaging.Contracts.Registration.StudyInstancesStored'");
        var unsent = await Scalar("SELECT count(*) FROM registration.outbox_messages WHERE sent_at IS NULL");
        var ok = instances == sent && versions == sent && stored == sent && open == 0 && badSeries + badStudies + badEntries == 0 && announced == sent;
        return new Durability(ok, string.Create(CultureInfo.InvariantCulture,
            $"sent {sent}; committed: {instances} instances, {versions} instance versions, {stored} acquisition items 'Stored', {studies} studies " +
            $"→ {(instances == sent && versions == sent && stored == sent ? "**all committed**" : "**MISMATCH**")}. " +
            $"Consistency: {open} batches not closed as Completed, {badSeries} series and {badStudies} studies whose counts differ from their instances, " +
            $"{badEntries} studies whose catalogue entry is missing or has another numberOfInstances → {(ok ? "**consistent**" : "**INCONSISTENT**")}. " +
            $"Events: {events} `StudyInstancesStored` in the outbox, committed with their instances, announcing {announced} stored instances " +
            $"→ {(announced == sent ? "**every instance announced**" : "**MISSING EVENTS**")}; {unsent} outbox rows not yet published by the relay. " +
            $"PostgreSQL fsync = {fsync}, synchronous_commit = {sync}."));
    }
}
