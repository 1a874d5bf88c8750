namespace MedImaging.Directory.Domain;

/// <summary>A user's rating of an entry (资源评估, §4.3.3): 1–5 stars, one per user and entry, changeable.</summary>
public sealed class EntryRating
{
    public const int Min = 1;
    public const int Max = 5;

    public required string OriginNode { get; init; }
    public required Guid ResourceId { get; init; }

    /// <summary>The rater's subject (token <c>sub</c>).</summary>
    public required string Rater { get; init; }
    public int Stars { get; set; }
    public DateTimeOffset RatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>A user's comment on an entry; deletable by its author and by the node's admins.</summary>
public sealed class EntryComment
{
    public const int MaxLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OriginNode { get; init; }
    public required Guid ResourceId { get; init; }
    public required string Author { get; init; }
    public required string AuthorName { get; init; }
    public required string Text { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
