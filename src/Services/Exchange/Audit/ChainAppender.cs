using MedImaging.Contracts.Audit;
using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MedImaging.Exchange.Audit;

/// <summary>Appends audit events to the node's hash chain.</summary>
public interface IChainAppender
{
    /// <summary>Appends the events not yet in the chain (by event id), in one transaction; returns how many were new.</summary>
    Task<int> AppendAsync(IReadOnlyList<AuditEventRecorded> events, CancellationToken ct);

    /// <summary>Signs the chain head if rows were appended since the last anchor and that anchor is older than <paramref name="olderThan"/>.</summary>
    Task<AnchorRecord?> AnchorHeadAsync(TimeSpan olderThan, CancellationToken ct);
}

/// <summary>
/// One writer at a time, whatever the number of Exchange replicas: each append takes a transaction-scoped advisory lock
/// keyed by the table, reads the head (the last row's sequence and hash), skips events already appended, and writes the
/// rest with binary COPY — hundreds of events cost one lock, one round of queries and one commit. The lock is released by
/// the commit or rollback, so a failed append leaves neither rows nor a gap.
/// </summary>
public sealed class ChainAppender(ExchangeDbContext db, AnchorSigner signer, ServiceHostContext host, IOptions<ChainOptions> options,
    ILogger<ChainAppender> logger) : IChainAppender
{
    private const string Records = $"\"{ExchangeDbContext.Schema}\".audit_records";
    private const string Anchors = $"\"{ExchangeDbContext.Schema}\".audit_anchors";
    private const string Lock = $"SELECT pg_advisory_xact_lock('{ExchangeDbContext.Schema}.audit_records'::regclass::oid::bigint)";

    private const string CopyRows = $"""
        COPY {Records} (sequence, event_id, recorded_at, occurred_at, node, service, actor_id, actor_name, actor_roles, client_id,
          actor_node, actor_institution, actor_clearance, action, resource_kind, resource_id, resource_identifier,
          resource_classification, resource_institution, outcome, outcome_reason, source_address, user_agent, correlation_id,
          details, previous_hash, hash) FROM STDIN (FORMAT BINARY)
        """;

    public async Task<int> AppendAsync(IReadOnlyList<AuditEventRecorded> events, CancellationToken ct)
    {
        // A batch may carry one event twice (a republished outbox row next to the original).
        var distinct = events.DistinctBy(e => e.EventId).ToList();
        if (distinct.Count == 0) return 0;
        return await InTransactionAsync(async (conn, tx) =>
        {
            var ids = distinct.Select(e => e.EventId).ToArray();
            var known = new HashSet<Guid>();
            await using (var cmd = new NpgsqlCommand($"SELECT event_id FROM {Records} WHERE event_id = ANY(@ids)", conn, tx))
            {
                cmd.Parameters.AddWithValue("ids", ids);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) known.Add(reader.GetGuid(0));
            }
            var fresh = distinct.Where(e => !known.Contains(e.EventId)).ToList();
            if (fresh.Count == 0) return 0;

            var (sequence, previous) = await HeadAsync(conn, tx, ct);
            var now = DateTimeOffset.UtcNow;
            var rows = new List<AuditRecord>(fresh.Count);
            foreach (var e in fresh)
            {
                if (!AuditActions.All.Contains(e.Action ?? ""))
                    logger.LogWarning("Audit event {EventId} from {Node}/{Service} names action '{Action}', which this node does not know (a newer node?); appended as it is",
                        e.EventId, e.OriginNode, e.Service, e.Action);
                var row = ChainEntry.Create(e, ++sequence, previous, now);
                rows.Add(row);
                previous = row.Hash;
            }
            await CopyAsync(conn, rows, ct);

            var every = Math.Max(1, options.Value.AnchorEvery);
            foreach (var row in rows.Where(r => r.Sequence % every == 0))
                await InsertAnchorAsync(conn, tx, signer.Sign(host.RequiredNode.NodeId, row.Sequence, row.Hash, now), ct);
            return rows.Count;
        }, ct);
    }

    public async Task<AnchorRecord?> AnchorHeadAsync(TimeSpan olderThan, CancellationToken ct) =>
        await InTransactionAsync(async (conn, tx) =>
        {
            var (head, hash) = await HeadAsync(conn, tx, ct);
            if (head == 0) return null;
            await using var cmd = new NpgsqlCommand($"SELECT sequence, signed_at FROM {Anchors} ORDER BY sequence DESC LIMIT 1", conn, tx);
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                if (await reader.ReadAsync(ct) && (reader.GetInt64(0) >= head || DateTimeOffset.UtcNow - reader.GetFieldValue<DateTimeOffset>(1) < olderThan))
                    return null;
            }
            var anchor = signer.Sign(host.RequiredNode.NodeId, head, hash, DateTimeOffset.UtcNow);
            await InsertAnchorAsync(conn, tx, anchor, ct);
            return anchor;
        }, ct);

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var lockCmd = new NpgsqlCommand(Lock, conn, tx))
                await lockCmd.ExecuteNonQueryAsync(ct);
            var result = await work(conn, tx);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<(long Sequence, byte[] Hash)> HeadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT sequence, hash FROM {Records} ORDER BY sequence DESC LIMIT 1", conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : (0, ChainCanonicalForm.GenesisHash);
    }

    private static async Task CopyAsync(NpgsqlConnection conn, List<AuditRecord> rows, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync(CopyRows, ct);
        foreach (var r in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(r.Sequence, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.EventId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(r.RecordedAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(r.OccurredAt, NpgsqlDbType.TimestampTz, ct);
            foreach (var text in new[] { r.Node, r.Service, r.ActorId, r.ActorName })
                await Text(copy, text, ct);
            await copy.WriteAsync(r.ActorRoles.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            foreach (var text in new[] { r.ClientId, r.ActorNode, r.ActorInstitution, r.ActorClearance, r.Action, r.ResourceKind, r.ResourceId,
                         r.ResourceIdentifier, r.ResourceClassification, r.ResourceInstitution, r.Outcome, r.OutcomeReason, r.SourceAddress,
                         r.UserAgent, r.CorrelationId })
                await Text(copy, text, ct);
            await copy.WriteAsync(r.Details, NpgsqlDbType.Jsonb, ct);
            await copy.WriteAsync(r.PreviousHash, NpgsqlDbType.Bytea, ct);
            await copy.WriteAsync(r.Hash, NpgsqlDbType.Bytea, ct);
        }
        await copy.CompleteAsync(ct);

        static Task Text(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
            value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);
    }

    private static async Task InsertAnchorAsync(NpgsqlConnection conn, NpgsqlTransaction tx, AnchorRecord a, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"INSERT INTO {Anchors} (sequence, hash, signed_at, node, key_id, algorithm, signature) VALUES (@s, @h, @t, @n, @k, @a, @sig)", conn, tx);
        cmd.Parameters.AddWithValue("s", a.Sequence);
        cmd.Parameters.AddWithValue("h", a.Hash);
        cmd.Parameters.AddWithValue("t", a.SignedAt);
        cmd.Parameters.AddWithValue("n", a.Node);
        cmd.Parameters.AddWithValue("k", a.KeyId);
        cmd.Parameters.AddWithValue("a", a.Algorithm);
        cmd.Parameters.AddWithValue("sig", a.Signature);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
