using MedImaging.Contracts.Metadata;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using E = MedImaging.Registration.Domain.MetadataElements;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// Brings catalogue entries in line with a new revision of the classification scheme (§4.9.2), page by page, the way
/// cataloguing derives them: automatic classification values are re-derived through the Metadata service's mapping
/// (with the rules that depend on the category), a cataloguer's values are kept, and what cannot be changed is recorded
/// as a problem on the entry. Registered, approved, published and withdrawn records are not changed (ADR 0009).
/// </summary>
public sealed class Reclassifier(RegistrationDbContext db, AutoCataloguer auto, IMetadataService metadata, ServiceToken token, ClassificationMemo classifications,
    ILogger<Reclassifier> logger)
{
    /// <summary>The kind of the problems a re-classification records; the next re-derivation replaces them.</summary>
    public const string ProblemKind = "reclassification";

    public const int PageSize = 200;

    // Ordered by id, as ingest's writer locks entries: the two never wait for each other in a cycle.
    private const string LockSql = "SELECT *, xmin FROM " + RegistrationDbContext.Schema + ".resources WHERE id = ANY({0}) ORDER BY id FOR UPDATE";

    /// <summary>States in which the record a reviewer or the directory has seen must not change under them.</summary>
    public static bool Frozen(WorkflowState state) => state is WorkflowState.Registered or WorkflowState.Approved or WorkflowState.Published or WorkflowState.Withdrawn;

    public sealed record Outcome(int Entries, int Changed, int WithProblems);

    /// <summary>
    /// Each page is its own short transaction: the Metadata service is asked first, with nothing locked; then the page's
    /// rows are locked, read again, changed and committed. Ingest (one writer for the whole node) therefore waits at most
    /// for one page's writes, never for a whole pass or an HTTP call. Memory holds one page at a time.
    /// </summary>
    public async Task<Outcome> RunAsync(ClassificationSchemeChanged change, CancellationToken ct)
    {
        // What this replica remembers of the old scheme no longer holds (ingest classifies from it).
        classifications.Clear();
        var bearer = await token.GetAsync(ct);
        var scheme = await metadata.SchemeAsync(bearer, ct);
        var why = $"re-derived after classification scheme revision {change.Revision} ({change.ChangeKind} {change.Subject})";
        // Many studies share modality, body part and description: ask the mapping once per combination.
        var memo = new Dictionary<string, ClassifyResult>(StringComparer.Ordinal);
        async Task<ClassifyResult> Classify(ClassifyInput input, CancellationToken c)
        {
            if (!memo.TryGetValue(input.Key, out var result)) memo[input.Key] = result = await metadata.ClassifyAsync(input, bearer, c);
            return result;
        }

        int entries = 0, changed = 0, withProblems = 0;
        var after = Guid.Empty;
        while (true)
        {
            var ids = await db.Resources.Where(r => r.Id > after).OrderBy(r => r.Id).Select(r => r.Id).Take(PageSize).ToListAsync(ct);
            if (ids.Count == 0) break;
            // Unlocked read: the page's mapping answers are fetched (and memoised) before any row is locked.
            await DeriveAsync(ids, tracked: false, (resource, study, series) => AutoCataloguer.ClassificationAsync(resource, study, series, scheme, Classify, why, ct), ct);

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await DeriveAsync(ids, tracked: true, async (resource, study, series) =>
            {
                var derived = await AutoCataloguer.ClassificationAsync(resource, study, series, scheme, Classify, why, ct);
                var (didChange, problems) = Apply(resource, study, Differing(resource, derived), scheme, change.Revision);
                resource.RecordProblems(ProblemKind, problems);
                entries++;
                if (didChange) changed++;
                if (problems.Count > 0) withProblems++;
                return derived;
            }, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            after = ids[^1];
        }
        logger.LogInformation("Classification scheme {Scheme} revision {Revision}: {Entries} entries looked at, {Changed} re-derived, {Problems} with a problem recorded",
            scheme.Code, change.Revision, entries, changed, withProblems);
        return new Outcome(entries, changed, withProblems);
    }

    // The page's classified entries with their studies; tracked pages are locked first (the caller's transaction).
    private async Task DeriveAsync(List<Guid> ids, bool tracked, Func<Resource, Study?, IReadOnlyList<string?>, Task<IReadOnlyList<AssignedValue>>> each, CancellationToken ct)
    {
        var page = tracked
            ? await db.Resources.FromSqlRaw(LockSql, ids).ToListAsync(ct)
            : await db.Resources.AsNoTracking().Where(r => ids.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync(ct);
        var studyIds = page.Select(r => r.StudyId).OfType<Guid>().ToList();
        var studies = await db.Studies.AsNoTracking().Where(s => studyIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var series = (await db.Series.AsNoTracking().Where(s => studyIds.Contains(s.StudyId) && s.InstanceCount > 0)
                .Select(s => new { s.StudyId, s.SeriesDescription }).ToListAsync(ct))
            .ToLookup(s => s.StudyId, s => s.SeriesDescription);
        // Entries never classified (still as ingest left them) get the scheme of the day when they are catalogued.
        foreach (var resource in page.Where(r => r.Value(E.CategorySchemeCode) is not null || r.Value(E.CategoryCode) is not null))
            await each(resource, resource.StudyId is { } id ? studies.GetValueOrDefault(id) : null,
                resource.StudyId is { } sid ? [.. series[sid]] : []);
    }

    private (bool Changed, List<CatalogueProblem> Problems) Apply(Resource resource, Study? study, List<AssignedValue> differing, SchemeView scheme, int revision)
    {
        var problems = new List<CatalogueProblem>();
        if (Frozen(resource.State))
        {
            foreach (var d in differing)
                problems.Add(Problem(d.Element, $"classification scheme {scheme.Code} revision {revision} re-derives {d.Element} as '{d.Value}' (the entry has " +
                    $"'{resource.Value(d.Element) ?? "nothing"}'); the entry is {CatalogingService.Describe(resource.State)} and is not changed: revise it to apply."));
        }
        else if (differing.Count > 0)
        {
            resource.ApplyAutomatic(differing);
            // Security and charge rules may name the category: follow the new one.
            resource.ApplyAutomatic(Differing(resource, auto.Local(resource, study)));
        }
        if (resource.Values.FirstOrDefault(v => v.Element == E.CategoryCode) is { } code && NotLive(scheme, code.Value) is { } status)
            problems.Add(Problem(E.CategoryCode, $"'{code.Value}' ({(code.Source == ValueSource.Manual ? "set by a cataloguer" : "assigned automatically")}) is " +
                $"{status} of classification scheme {scheme.Code} at revision {revision}; choose another 类目/亚目/细目."));
        return (differing.Count > 0 && !Frozen(resource.State), problems);
    }

    private static string? NotLive(SchemeView scheme, string code) => scheme.PathTo(code) switch
    {
        null => "not a code",
        var path when path.Any(n => n.Withdrawn) => "withdrawn",
        _ => null,
    };

    /// <summary>The automatic values that would change the entry: new, or a different value; never over a cataloguer's.</summary>
    private static List<AssignedValue> Differing(Resource resource, IEnumerable<AssignedValue> derived)
        => [.. derived.Where(d => resource.Values.FirstOrDefault(v => v.Element == d.Element) is not { } existing
            || (existing.Source == ValueSource.Auto && existing.Value != d.Value))];

    private static CatalogueProblem Problem(string element, string detail) => CatalogueProblem.Classification(element, ProblemKind, detail);
}
