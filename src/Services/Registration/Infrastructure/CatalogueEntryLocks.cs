using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MedImaging.Registration.Infrastructure;

/// <summary>
/// Transaction-scoped PostgreSQL advisory locks, one per catalogue entry, held by a workflow action for its whole
/// transaction: the checks and the identifier the Metadata service issues happen while no other workflow action can
/// move the entry. Advisory rather than a row lock on purpose: the row stays free for ingest's single group-commit
/// writer, which would otherwise stall every hospital's ingest for as long as one cataloguer's Metadata calls take.
/// Ingest's own writes to the entry (new instances refreshing automatic values) are caught at save time by the
/// entry's xmin concurrency token and answered 409 "changed meanwhile".
/// </summary>
public static class CatalogueEntryLocks
{
    // The two-key form keeps these locks apart from any other advisory lock in the database; 0x4D434345 is "MCCE".
    private const int LockClass = 0x4D434345;

    /// <summary>Locks <paramref name="ids"/> (whether or not the entries exist) until the current transaction ends.</summary>
    public static async Task LockEntriesAsync(this RegistrationDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ids);
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Catalogue entry locks last as long as a transaction; begin one first.");
        // One key at a time in ascending order: two bulk actions over overlapping entries then never wait in a cycle
        // (a single statement would not promise the order in which PostgreSQL takes its locks).
        foreach (var key in ids.Select(Key).Distinct().Order())
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(@class, @key)",
                [new NpgsqlParameter("class", LockClass), new NpgsqlParameter("key", key)], ct);
    }

    // Two entries may share a key (a 32-bit fold of the id); they then wait for each other, which is only slower.
    private static int Key(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        var folded = BitConverter.ToUInt64(bytes) ^ BitConverter.ToUInt64(bytes[8..]);
        return (int)(folded ^ (folded >> 32));
    }
}
