using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Infrastructure;

/// <summary>
/// Row locks on catalogue entries, held by a workflow action for its whole transaction: the checks and the identifier
/// the Metadata service issues happen while no other action (nor ingest's group commit) can move or rewrite the entry.
/// </summary>
public static class CatalogueEntryLocks
{
    // Ascending id, as ingest's group commit locks the entries of its studies: lockers of several entries then never wait
    // on each other in a cycle. Only resources rows are locked, never studies, so ingest's studies-then-entries order holds.
    private const string LockSql = "SELECT id FROM registration.resources WHERE id = ANY({0}) ORDER BY id FOR UPDATE";

    /// <summary>Locks the entries that exist among <paramref name="ids"/> until the current transaction ends.</summary>
    public static async Task LockEntriesAsync(this RegistrationDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Catalogue entry locks last as long as a transaction; begin one first.");
        if (ids.Count == 0) return;
        await db.Database.ExecuteSqlRawAsync(LockSql, [ids.ToArray()], ct);
    }
}
