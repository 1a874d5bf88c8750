using System.Text.Json;

namespace MedImaging.Metadata.Domain;

/// <summary>
/// The whole scheme — nodes and DICOM mapping — as it stood at one revision. Kept for every revision, so that a
/// classification or an identifier made against revision n can still be read against the scheme it was made with.
/// </summary>
public sealed class ClassificationSchemeRevision
{
    public Guid SchemeId { get; init; }
    public int Revision { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public required string CreatedBy { get; init; }
    public required string ChangeKind { get; init; }
    public required string Subject { get; init; }

    /// <summary>JSON of <see cref="SchemeSnapshot"/>.</summary>
    public required string Snapshot { get; init; }

    public static ClassificationSchemeRevision Of(ClassificationScheme scheme, IEnumerable<DicomClassificationRule> rules, string changeKind, string subject) => new()
    {
        SchemeId = scheme.Id,
        Revision = scheme.Revision,
        CreatedAt = scheme.UpdatedAt,
        CreatedBy = scheme.UpdatedBy,
        ChangeKind = changeKind,
        Subject = subject,
        Snapshot = JsonSerializer.Serialize(new SchemeSnapshot(
            scheme.Code, scheme.NameZh, scheme.NameEn, scheme.Revision,
            [.. scheme.Nodes.OrderBy(n => n.FullCode, StringComparer.Ordinal).Select(n => new NodeSnapshot(n.FullCode, n.Level.ToString(), n.NameZh, n.NameEn, n.Withdrawn))],
            [.. rules.OrderBy(r => r.Attribute).ThenBy(r => r.Category).ThenBy(r => r.Value).Select(r => new RuleSnapshot(r.Attribute, r.Value, r.Level.ToString(), r.Code, r.Category.Length == 0 ? null : r.Category))]),
            SnapshotJson),
    };

    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);
}

public sealed record SchemeSnapshot(string Code, string NameZh, string NameEn, int Revision, IReadOnlyList<NodeSnapshot> Nodes, IReadOnlyList<RuleSnapshot> Mapping);

public sealed record NodeSnapshot(string FullCode, string Level, string NameZh, string NameEn, bool Withdrawn);

public sealed record RuleSnapshot(string Attribute, string Value, string Level, string Code, string? Category = null);
