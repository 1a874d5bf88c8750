namespace MedImaging.Metadata.Domain;

/// <summary>
/// One change to the metadata management system's content (§4.8.5 d: 描述数据的新增修改，包括本数据的来源信息): who,
/// when, why, from which source, to what. Append-only.
/// </summary>
public sealed class ProvenanceEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
    public required string By { get; init; }
    public required string Why { get; init; }
    public required string Source { get; init; }

    /// <summary>What changed, as a path: "set:basic", "set:basic/v2/element:keyword", "scheme:imaging/node:2.2".</summary>
    public required string Subject { get; init; }

    public required string Action { get; init; }

    /// <summary>JSON with the details (old/new values, a migration report).</summary>
    public string? Details { get; init; }
}

/// <summary>Who/why/where-from of a request that changes something; every write request carries it.</summary>
public sealed record ChangeReason(string? Reason, string? Source)
{
    public string Why(string fallback) => string.IsNullOrWhiteSpace(Reason) ? fallback : Reason;
    public string From => string.IsNullOrWhiteSpace(Source) ? "api" : Source;
}
