using MedImaging.Directory.Domain;
using MedImaging.Directory.Infrastructure;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Catalog;

/// <summary>Counts views, search hits, requests and downloads per entry, day and caller institution (statistics, §4.8.6 f–g).</summary>
public interface ICatalogUsage
{
    Task RecordAsync(UsageKind kind, IReadOnlyCollection<EntryKey> entries, CallerScope caller, CancellationToken ct);
}

/// <summary>One upsert per call (unnest over the entries), outside the caller's transaction: a count never blocks a read.</summary>
public sealed class CatalogUsage(DirectoryDbContext db, TimeProvider clock) : ICatalogUsage
{
    public async Task RecordAsync(UsageKind kind, IReadOnlyCollection<EntryKey> entries, CallerScope caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(caller);
        if (entries.Count == 0) return;
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var origins = entries.Select(e => e.OriginNode).ToArray();
        var ids = entries.Select(e => e.ResourceId).ToArray();
        var institution = caller.Institution ?? "";
        var kindName = kind.ToString();
        // Rows in key order: concurrent searches counting overlapping hits then lock them in the same order (in page
        // order two of them deadlocked under 8 concurrent clients). A deadlock that happens anyway is retried.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO directory.usage_counts (day, kind, origin_node, resource_id, institution, count)
                    SELECT {day}, {kindName}, o, r, {institution}, count(*) FROM unnest({origins}::text[], {ids}::uuid[]) AS k(o, r)
                    GROUP BY o, r ORDER BY o, r
                    ON CONFLICT (day, kind, origin_node, resource_id, institution) DO UPDATE SET count = usage_counts.count + excluded.count
                    """, ct);
                return;
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
                await Task.Delay(10 * attempt, ct);
            }
        }
    }
}
