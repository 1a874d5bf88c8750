namespace MedImaging.Directory.Domain;

/// <summary>What was done with an entry, counted for sharing monitoring (§4.8.6 f–g).</summary>
public enum UsageKind
{
    /// <summary>A record was fetched (detail page, GetRecordById, result-set retrieval of one record).</summary>
    View,

    /// <summary>The entry was among the hits of a search (counted once per search, on the hits returned).</summary>
    SearchHit,
    Request,
    Download,
}

/// <summary>
/// How often an entry was used on a day, by the caller's institution (empty for node-wide and anonymous callers): one
/// row per (day, kind, entry, institution), incremented in place, so the table grows with entries used, not with uses.
/// </summary>
public sealed class UsageCount
{
    public DateOnly Day { get; init; }
    public UsageKind Kind { get; init; }
    public required string OriginNode { get; init; }
    public Guid ResourceId { get; init; }
    public required string Institution { get; init; }
    public long Count { get; set; }
}
