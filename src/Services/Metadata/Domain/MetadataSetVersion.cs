namespace MedImaging.Metadata.Domain;

public enum MetadataSetVersionStatus
{
    Draft,
    Active,
    Deprecated,
}

/// <summary>
/// One version of a metadata set: draft → active → deprecated. At most one version of a set is active. Its elements
/// and entities are a snapshot: only a draft's may change, so a record written against a version stays checkable
/// against exactly what it was written with.
/// </summary>
public sealed class MetadataSetVersion
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid MetadataSetId { get; init; }
    public int Version { get; init; }
    public MetadataSetVersionStatus Status { get; private set; } = MetadataSetVersionStatus.Draft;

    /// <summary>Why the version exists (the provenance "why" of its creation).</summary>
    public required string ChangeNote { get; init; }

    public string Source { get; init; } = "api";
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public required string CreatedBy { get; init; }
    public DateTimeOffset? ActivatedAt { get; private set; }
    public string? ActivatedBy { get; private set; }

    /// <summary>The version this one was derived from by <see cref="Migration"/>; null for a first version.</summary>
    public int? BasedOnVersion { get; init; }

    public SchemaMigration Migration { get; init; } = new();
    public List<MetadataEntity> Entities { get; init; } = [];
    public List<MetadataElement> Elements { get; init; } = [];

    public bool IsDraft => Status == MetadataSetVersionStatus.Draft;

    public void Activate(string by)
    {
        if (Status != MetadataSetVersionStatus.Draft)
            throw new InvalidOperationException($"Version {Version} is {Status}; only a draft can be activated.");
        Status = MetadataSetVersionStatus.Active;
        ActivatedAt = DateTimeOffset.UtcNow;
        ActivatedBy = by;
    }

    public void Deprecate() => Status = MetadataSetVersionStatus.Deprecated;

    public IEnumerable<MetadataElement> ElementsOf(string? entityId) =>
        Elements.Where(e => e.EntityId == entityId).OrderBy(e => e.Order);

    public MetadataElement? Element(string elementId) => Elements.FirstOrDefault(e => e.ElementId == elementId);
}
