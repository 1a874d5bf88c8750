using System.Data;
using MedImaging.Exchange.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedImaging.Exchange.Audit;

/// <summary>
/// Reads the whole chain in sequence order, a page at a time (memory stays flat however long it is), recomputes every
/// row's hash and link, checks every anchor's signature and hash, and stops at the first problem. It reads one snapshot
/// (repeatable read), so rows and anchors appended meanwhile neither count nor look like a break.
/// </summary>
public sealed class ChainVerifier(ExchangeDbContext db, AnchorSigner signer, IOptions<ChainOptions> options)
{
    public async Task<VerifyResult> VerifyAsync(CancellationToken ct)
    {
        var page = Math.Max(1, options.Value.VerifyPageSize);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await db.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY", ct);
        var anchors = new AnchorCursor(db, page);
        long expected = 1, rows = 0, anchorsChecked = 0;
        var previous = ChainCanonicalForm.GenesisHash;

        VerifyResult Broken(long sequence, string kind, string detail) => new(false, rows, anchorsChecked, new VerifyProblem(sequence, kind, detail));

        while (true)
        {
            var after = expected - 1;
            var batch = await db.AuditRecords.AsNoTracking().Where(r => r.Sequence > after).OrderBy(r => r.Sequence).Take(page).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var row in batch)
            {
                if (row.Sequence != expected)
                    return Broken(expected, VerifyProblemKinds.SequenceGap, expected == row.Sequence - 1
                        ? $"row {expected} is missing: the row after {expected - 1} is {row.Sequence}"
                        : $"rows {expected} to {row.Sequence - 1} are missing: the row after {expected - 1} is {row.Sequence}");
                var hash = ChainCanonicalForm.Hash(row);
                if (!hash.AsSpan().SequenceEqual(row.Hash))
                    return Broken(row.Sequence, VerifyProblemKinds.ContentChanged,
                        $"row {row.Sequence} ({row.Action}, event {row.EventId}) hashes to {Hex(hash)} but its stored hash is {Hex(row.Hash)}: a field was changed after it was appended");
                if (!row.PreviousHash.AsSpan().SequenceEqual(previous))
                    return Broken(row.Sequence, VerifyProblemKinds.RowMissing, row.Sequence == 1
                        ? $"row 1's previous hash is {Hex(row.PreviousHash)}, not 32 zero bytes: rows before it were removed and the rest renumbered"
                        : $"row {row.Sequence}'s previous hash {Hex(row.PreviousHash)} is not the hash of row {row.Sequence - 1} ({Hex(previous)}): a row between them was removed and the rest renumbered, or row {row.Sequence - 1} was replaced");
                rows++;
                while (await anchors.PeekAsync(ct) is { } anchor && anchor.Sequence <= row.Sequence)
                {
                    if (signer.Check(anchor) is { } why)
                        return Broken(anchor.Sequence, VerifyProblemKinds.AnchorMismatch, $"the anchor of row {anchor.Sequence} signed at {ChainCanonicalForm.Time(anchor.SignedAt)}: {why}");
                    if (!anchor.Hash.AsSpan().SequenceEqual(row.Hash))
                        return Broken(anchor.Sequence, VerifyProblemKinds.AnchorMismatch,
                            $"the anchor of row {anchor.Sequence} signed at {ChainCanonicalForm.Time(anchor.SignedAt)} names hash {Hex(anchor.Hash)}, but the row's hash is {Hex(row.Hash)}: the chain up to this row was rewritten");
                    anchorsChecked++;
                    anchors.Next();
                }
                previous = row.Hash;
                expected++;
            }
        }

        if (await anchors.PeekAsync(ct) is { } beyond)
        {
            if (signer.Check(beyond) is { } why)
                return Broken(beyond.Sequence, VerifyProblemKinds.AnchorMismatch, $"the anchor of row {beyond.Sequence} signed at {ChainCanonicalForm.Time(beyond.SignedAt)}: {why}");
            return Broken(expected, VerifyProblemKinds.ChainCutShort, expected == 1
                ? $"the chain is empty, but an anchor signed at {ChainCanonicalForm.Time(beyond.SignedAt)} names row {beyond.Sequence}: rows 1 to {beyond.Sequence} at least are missing"
                : $"the chain ends at row {expected - 1}, but an anchor signed at {ChainCanonicalForm.Time(beyond.SignedAt)} names row {beyond.Sequence}: rows {expected} to {beyond.Sequence} at least were cut off");
        }
        return new VerifyResult(true, rows, anchorsChecked, null);
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>The anchors in sequence order, read a page at a time alongside the rows.</summary>
    private sealed class AnchorCursor(ExchangeDbContext db, int page)
    {
        private readonly Queue<AnchorRecord> _buffer = new();
        private long _after;
        private bool _done;

        public async Task<AnchorRecord?> PeekAsync(CancellationToken ct)
        {
            if (_buffer.Count == 0 && !_done)
            {
                var after = _after;
                var next = await db.AuditAnchors.AsNoTracking().Where(a => a.Sequence > after).OrderBy(a => a.Sequence).Take(page).ToListAsync(ct);
                foreach (var a in next) _buffer.Enqueue(a);
                if (next.Count > 0) _after = next[^1].Sequence;
                _done = next.Count < page;
            }
            return _buffer.Count > 0 ? _buffer.Peek() : null;
        }

        public void Next() => _buffer.Dequeue();
    }
}
