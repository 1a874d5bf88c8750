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

    public SchemaMigration Migration { get; set; } = new();
    public List<MetadataEntity> Entities { get; init; } = [];
    public List<MetadataElement> Elements { get; init; } = [];

    public bool IsDraft => Status == MetadataSetVersionStatus.Draft;

    /// <summary>
    /// A draft derived from another version keeps its stated migration in step with later edits, so records written
    /// against the base version migrate to exactly what the draft ends up holding.
    /// </summary>
    public void NoteElementPut(ElementDefinition element, bool existedInDraft)
    {
        if (BasedOnVersion is null) return;
        var m = Migration;
        if (m.Removed.Contains(element.ElementId))
            Migration = m with { Removed = [.. m.Removed.Where(id => id != element.ElementId)] };
        else if (!existedInDraft || m.Added.Any(a => a.ElementId == element.ElementId))
            Migration = m with { Added = [.. m.Added.Where(a => a.ElementId != element.ElementId), element] };
    }

    /// <summary>See <see cref="NoteElementPut"/>: a removed element is dropped from records migrating to this draft.</summary>
    public void NoteElementRemoved(string elementId)
    {
        if (BasedOnVersion is null) return;
        var m = Migration;
        var defaults = m.Defaults.Where(d => d.Key != elementId).ToDictionary(d => d.Key, d => d.Value);
        if (m.Added.Any(a => a.ElementId == elementId))
            Migration = m with { Added = [.. m.Added.Where(a => a.ElementId != elementId)], Defaults = defaults };
        else if (m.Renamed.FirstOrDefault(r => r.To == elementId) is { } rename)
            Migration = m with { Renamed = [.. m.Renamed.Where(r => r != rename)], Removed = [.. m.Removed, rename.From], Defaults = defaults };
        else if (!m.Removed.Contains(elementId))
            Migration = m with { Removed = [.. m.Removed, elementId], Defaults = defaults };
    }

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
