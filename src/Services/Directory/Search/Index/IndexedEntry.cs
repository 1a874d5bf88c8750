namespace MedImaging.Directory.Search.Index;

/// <summary>
/// What the index needs of one read-model row: its key and state, the text fields (weighted as the tsvector weighs them,
/// ADR 0025), the filter and facet elements, and the sort values. <see cref="ChangeSeq"/> is the row's place in the
/// change feed (ADR 0030).
/// </summary>
public sealed record IndexedEntry(
    long ChangeSeq,
    string OriginNode,
    Guid ResourceId,
    bool Published,
    string Kind,
    string Title,
    string? Abstract,
    IReadOnlyList<string> Keywords,
    string? SecurityClassification,
    string? Institution,
    string? InstitutionName,
    string? ClassificationCode,
    string? Category,
    string? Subcategory,
    IReadOnlyList<string> Modalities,
    IReadOnlyList<string> BodyParts,
    DateOnly? StudyDate,
    string? StudyInstanceUid,
    string? StudyDescription,
    DateTimeOffset PublishedAt)
{
    public string Key => IndexFields.Key(OriginNode, ResourceId);
}
