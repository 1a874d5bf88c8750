using MedImaging.Exchange.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// Keeps <see cref="FederatedEntryRecord"/>: whether a fact of an entry is newer than what this node last applied of it.
/// The row is locked for the caller's transaction, so two facts of one entry (on two queues, or from two links) apply
/// one after the other; two first facts of a new entry both insert, and the loser's retry finds the row.
/// </summary>
public sealed class EntryLedger(ExchangeDbContext db)
{
    /// <summary>The entry's record if <paramref name="fact"/> is newer than it (created for a first fact); null when it is not.</summary>
    public async Task<FederatedEntryRecord?> AdmitAsync(EntryFact fact, CancellationToken ct)
    {
        var record = await db.FederatedEntries
            .FromSql($"SELECT * FROM exchange.federated_entries WHERE origin_node = {fact.OriginNode} AND resource_id = {fact.ResourceId} FOR UPDATE")
            .SingleOrDefaultAsync(ct);
        if (record is null)
        {
            record = new FederatedEntryRecord { OriginNode = fact.OriginNode, ResourceId = fact.ResourceId, Kind = fact.Kind, RecordVersion = fact.RecordVersion };
            db.FederatedEntries.Add(record);
        }
        else if (!record.IsOlderThan(fact.RecordVersion, fact.Kind)) return null;

        record.RecordVersion = fact.RecordVersion;
        record.Kind = fact.Kind;
        record.ReceivedFrom = fact.ReceivedFrom;
        record.Path = [.. fact.Path];
        record.Share = fact.ArrivedAs;
        record.SentAt = fact.SentAt;
        record.AppliedAt = DateTimeOffset.UtcNow;
        if (fact.Kind == Contracts.Exchange.FederatedEntry.Published)
        {
            record.ClassificationCode = fact.ClassificationCode;
            record.SecurityClassification = fact.SecurityClassification;
        }
        return record;
    }

    public Task<FederatedEntryRecord?> FindAsync(string origin, Guid id, CancellationToken ct) =>
        db.FederatedEntries.SingleOrDefaultAsync(x => x.OriginNode == origin && x.ResourceId == id, ct);
}
