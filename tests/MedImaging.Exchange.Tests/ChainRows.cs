using MedImaging.Exchange.Audit;
using MedImaging.Exchange.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Exchange.Tests;

/// <summary>What a DBA who knows the canonical form (it is public, ADR 0020) can do: change rows and recompute their hashes.</summary>
internal static class ChainRows
{
    public static async Task<List<AuditRecord>> LoadAsync(IServiceProvider services, long fromSequence)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
        return await db.AuditRecords.AsNoTracking().Where(r => r.Sequence >= fromSequence).OrderBy(r => r.Sequence).ToListAsync();
    }

    /// <summary>The row with another actor id, previous hash as given, and its hash recomputed.</summary>
    public static AuditRecord Rewritten(AuditRecord r, string actorId, byte[] previousHash)
    {
        var copy = new AuditRecord
        {
            Sequence = r.Sequence, EventId = r.EventId, RecordedAt = r.RecordedAt, OccurredAt = r.OccurredAt, Node = r.Node, Service = r.Service,
            ActorId = actorId, ActorName = r.ActorName, ActorRoles = r.ActorRoles, ClientId = r.ClientId, ActorNode = r.ActorNode,
            ActorInstitution = r.ActorInstitution, ActorClearance = r.ActorClearance, Action = r.Action, ResourceKind = r.ResourceKind,
            ResourceId = r.ResourceId, ResourceIdentifier = r.ResourceIdentifier, ResourceClassification = r.ResourceClassification,
            ResourceInstitution = r.ResourceInstitution, Outcome = r.Outcome, OutcomeReason = r.OutcomeReason, SourceAddress = r.SourceAddress,
            UserAgent = r.UserAgent, CorrelationId = r.CorrelationId, Details = r.Details, PreviousHash = previousHash, Hash = new byte[32],
        };
        ChainCanonicalForm.Hash(copy).CopyTo(copy.Hash, 0);
        return copy;
    }

    /// <summary>Rewrites the rows from <paramref name="fromSequence"/> on with a new actor id and a consistent chain of hashes.</summary>
    public static async Task RewriteFromAsync(AuditNode node, IServiceProvider services, long fromSequence, string actorId)
    {
        var rows = await LoadAsync(services, fromSequence);
        var previous = rows[0].PreviousHash;
        var sql = new List<string>();
        foreach (var row in rows)
        {
            var rewritten = Rewritten(row, actorId, previous);
            sql.Add($"UPDATE exchange.audit_records SET actor_id = '{actorId}', previous_hash = '\\x{Convert.ToHexStringLower(rewritten.PreviousHash)}', " +
                    $"hash = '\\x{Convert.ToHexStringLower(rewritten.Hash)}' WHERE sequence = {row.Sequence}");
            previous = rewritten.Hash;
        }
        await node.TamperAsync(string.Join(";\n", sql));
    }
}
