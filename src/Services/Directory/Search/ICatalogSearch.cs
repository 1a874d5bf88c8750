using MedImaging.Directory.Domain;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Search;

/// <summary>
/// The catalogue's one query engine: every read path (JSON API, discovery sessions and result sets, CSW, QIDO-RS, DCAT,
/// statistics, subscriptions) goes through it, and it applies the caller's clearance and scope to each query, so that
/// no hit, count or facet value above the caller's clearance can come out of any binding.
/// </summary>
public interface ICatalogSearch
{
    Task<CatalogHits> SearchAsync(CatalogQuery query, CallerScope caller, CatalogPage page, CancellationToken ct);

    /// <summary>Keys of the first <paramref name="max"/> matches in the query's order (a result set's snapshot).</summary>
    Task<IReadOnlyList<EntryKey>> KeysAsync(CatalogQuery query, CallerScope caller, int max, CancellationToken ct);

    /// <summary>The published entries the caller may see, for paths that read entries by key (record fetch, QIDO series).</summary>
    IQueryable<CatalogEntry> Visible(CallerScope caller);
}

/// <summary>
/// Turns free text into what the engine matches: groups of alternative terms, the groups combined with AND, the
/// alternatives of one group with OR (a word and its concept's synonyms in both languages).
/// </summary>
public interface IQueryExpansion
{
    ExpandedText Expand(string text, bool concepts);
}

/// <summary>The text's term groups and the concepts found in it.</summary>
public sealed record ExpandedText(IReadOnlyList<IReadOnlyList<string>> Groups, IReadOnlyList<MatchedConcept> Concepts);
