using MedImaging.Directory.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Catalog;

/// <summary>
/// PostgreSQL advisory locks of the read model (ADR 0024). Consumers take <see cref="ShareAsync"/> in their transaction,
/// a rebuild takes <see cref="ExclusiveAsync"/> for each page from before it asks Registration until the page commits:
/// a fact applied by a consumer is therefore either already in the page Registration answers, or applied after the
/// page's write (by version, on top of it) — never overwritten by an older answer. Consumers wait at most one page.
/// </summary>
public static class CatalogLocks
{
    /// <summary>Writes of the read model: shared by consumers, exclusive for a rebuild's page (transaction-scoped).</summary>
    private const long Writes = 0x0D12_0024_0001;

    /// <summary>One rebuild at a time on the node, whichever replica runs it (session-scoped, on the run's own connection).</summary>
    public const long Rebuild = 0x0D12_0024_0002;

    public static Task ShareAsync(DirectoryDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({Writes})", ct);

    public static Task ExclusiveAsync(DirectoryDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({Writes})", ct);
}
