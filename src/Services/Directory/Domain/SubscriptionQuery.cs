using MedImaging.Directory.Search;

namespace MedImaging.Directory.Domain;

/// <summary>
/// The part of a <see cref="CatalogQuery"/> a subscription saves: free text and element filters, under the same names.
/// Sort, facets, paging and publication dates mean nothing for "tell me of new entries", so they are not kept.
/// </summary>
public sealed record SubscriptionQuery
{
    public string? Text { get; init; }
    public bool ExpandConcepts { get; init; } = true;
    public IReadOnlyList<string> Classifications { get; init; } = [];
    public IReadOnlyList<string> Modalities { get; init; } = [];
    public IReadOnlyList<string> BodyParts { get; init; } = [];
    public IReadOnlyList<string> Institutions { get; init; } = [];
    public IReadOnlyList<string> Nodes { get; init; } = [];
    public IReadOnlyList<string> SecurityClassifications { get; init; } = [];
    public IReadOnlyList<string> Kinds { get; init; } = [];
    public DateOnly? StudyDateFrom { get; init; }
    public DateOnly? StudyDateTo { get; init; }

    /// <summary>The query restricted to one entry: does that entry match, as the search would find it?</summary>
    public CatalogQuery ForEntry(EntryKey key) => new()
    {
        Text = Text,
        ExpandConcepts = ExpandConcepts,
        Classifications = Classifications,
        Modalities = Modalities,
        BodyParts = BodyParts,
        Institutions = Institutions,
        Nodes = Nodes,
        SecurityClassifications = SecurityClassifications,
        Kinds = Kinds,
        StudyDateFrom = StudyDateFrom,
        StudyDateTo = StudyDateTo,
        Where = e => e.OriginNode == key.OriginNode && e.ResourceId == key.ResourceId,
    };
}
