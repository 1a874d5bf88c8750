using MedImaging.Contracts.Registration;
using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Catalog;

/// <summary>
/// Applies the registration facts to the read model, idempotent on (origin node, resource id, record version): a fact
/// that arrives twice, late or out of order changes nothing it should not. The row is locked for the caller's
/// transaction, so two facts of one entry handled at once apply one after the other. Changes are staged on
/// <paramref name="db"/>; the caller saves (a consumer's inbox transaction, or a rebuild's batch).
/// </summary>
public sealed class CatalogWriter(DirectoryDbContext db)
{
    /// <summary>True when the publication changed the read model.</summary>
    public async Task<bool> ApplyAsync(ResourcePublished e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (await LockAsync(e.OriginNode, e.ResourceId, ct) is not { } entry)
        {
            db.CatalogEntries.Add(CatalogEntry.From(e));
            return true;
        }
        return entry.Apply(e);
    }

    public async Task<bool> ApplyAsync(ResourceRevised e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        return await RemoveAsync(e.OriginNode, e.ResourceId, e.RecordVersion, CatalogEntryState.Revising, e.OccurredAt, ct);
    }

    public async Task<bool> ApplyAsync(ResourceWithdrawn e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        return await RemoveAsync(e.OriginNode, e.ResourceId, e.RecordVersion, CatalogEntryState.Withdrawn, e.OccurredAt, ct);
    }

    /// <summary>A rebuild's write of a fed record: the row becomes exactly that record (<see cref="CatalogEntry.Restore"/>).</summary>
    public async Task ReplaceAsync(ResourcePublished e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (await LockAsync(e.OriginNode, e.ResourceId, ct) is not { } entry) db.CatalogEntries.Add(CatalogEntry.From(e));
        else entry.Restore(e);
    }

    private async Task<bool> RemoveAsync(string origin, Guid id, int version, CatalogEntryState state, DateTimeOffset at, CancellationToken ct)
    {
        if (await LockAsync(origin, id, ct) is not { } entry)
        {
            // Nothing of the entry yet: keep the version, so that its older publication arriving later stays out.
            db.CatalogEntries.Add(CatalogEntry.Tombstone(origin, id, version, state, at));
            return true;
        }
        return state == CatalogEntryState.Withdrawn ? entry.ApplyWithdrawal(version, at) : entry.ApplyRevision(version, at);
    }

    private async Task<CatalogEntry?> LockAsync(string origin, Guid id, CancellationToken ct)
    {
        if (db.CatalogEntries.Local.FirstOrDefault(x => x.OriginNode == origin && x.ResourceId == id) is { } tracked) return tracked;
        return await db.CatalogEntries
            .FromSql($"SELECT * FROM directory.catalog_entries WHERE origin_node = {origin} AND resource_id = {id} FOR UPDATE")
            .SingleOrDefaultAsync(ct);
    }
}
