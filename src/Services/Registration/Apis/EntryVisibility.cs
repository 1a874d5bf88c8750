using MedImaging.Registration.Domain;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Registration.Apis;

/// <summary>
/// The caller's scope (<see cref="CallerScope"/>) as SQL: every list of entries filters with it before it is counted or
/// paged, so a total never counts what the caller may not see. The same rule as <see cref="CallerScope.MaySee"/>: an
/// entry without (or with an unknown) classification is seen by nobody, one without institution by node-wide callers only.
/// </summary>
public static class EntryVisibility
{
    public static IQueryable<Resource> VisibleTo(this IQueryable<Resource> query, CallerScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var codes = scope.VisibleClassifications.ToArray();
        query = query.Where(r => r.SecurityClassification != null && codes.Contains(r.SecurityClassification));
        return scope.Institution is { } institution ? query.Where(r => r.Institution == institution) : query;
    }

    /// <summary>
    /// The adapters whose batches an institution-bound caller sees in the acquisition log: those the node file maps to
    /// its institution (tier file <c>adapters</c>). Batches carry no classification; their institution is their adapter's.
    /// </summary>
    public static string[] AdaptersOf(ServiceHostContext host, string institution)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Node is null) return [];
        return [.. host.Node.Adapters.Where(a => string.Equals(a.Value.Institution, institution, StringComparison.OrdinalIgnoreCase)).Select(a => a.Key)];
    }
}
