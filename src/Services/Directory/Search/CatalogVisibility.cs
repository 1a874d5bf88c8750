using MedImaging.Directory.Domain;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Search;

/// <summary>
/// <see cref="CallerScope"/> as SQL over the read model: published entries at or below the caller's clearance, of its
/// institution when it is bound to one. The same rule as <see cref="CallerScope.MaySee"/> (unclassified entries are seen
/// by nobody, entries without institution by node-wide callers only).
/// </summary>
public static class CatalogVisibility
{
    public static IQueryable<CatalogEntry> VisibleTo(this IQueryable<CatalogEntry> query, CallerScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var codes = scope.VisibleClassifications.ToArray();
        query = query.Where(e => e.State == CatalogEntryState.Published && e.SecurityClassification != null && codes.Contains(e.SecurityClassification));
        return scope.Institution is { } institution ? query.Where(e => e.Institution == institution) : query;
    }
}
