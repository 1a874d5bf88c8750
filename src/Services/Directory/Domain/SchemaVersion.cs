using MedImaging.Contracts.Metadata;

namespace MedImaging.Directory.Domain;

/// <summary>
/// A metadata set version the directory has been told about. The directory keeps the whole history, because
/// published entries written against an older version stay searchable and must be displayed with their own schema.
/// </summary>
public sealed class SchemaVersion
{
    public Guid VersionId { get; init; }
    public required string SetCode { get; init; }
    public int Version { get; init; }
    public Guid MetadataSetId { get; init; }
    public DateTimeOffset ActivatedAt { get; init; }
    public required string OriginNode { get; init; }
    public DateTimeOffset RecordedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The set's names, as the activation event carried them (null from a Metadata service that predates them).</summary>
    public string? SetNameZh { get; private set; }
    public string? SetNameEn { get; private set; }

    /// <summary>The version's elements and entities in the set's order: the self-description's element names and the layout of full records.</summary>
    public List<MetadataSetVersionElement> Elements { get; private set; } = [];
    public List<MetadataSetVersionEntity> Entities { get; private set; } = [];

    /// <summary>
    /// Takes the schema an activation event carries, once: a version's schema never changes after activation, but a
    /// version recorded from an older event (without it) learns it from the next announcement (ADR 0017).
    /// </summary>
    public bool TakeSchema(MetadataSetVersionActivated e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Elements.Count > 0 || e.Elements.Count == 0) return false;
        SetNameZh = e.SetNameZh;
        SetNameEn = e.SetNameEn;
        Elements = [.. e.Elements];
        Entities = [.. e.Entities];
        return true;
    }
}
