namespace MedImaging.Metadata.Domain;

public enum MetadataSetVersionStatus
{
    Draft,
    Active,
    Deprecated,
}

/// <summary>One version of a metadata set: draft → active → deprecated. At most one version of a set is active.</summary>
public sealed class MetadataSetVersion
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid MetadataSetId { get; init; }
    public int Version { get; init; }
    public MetadataSetVersionStatus Status { get; private set; } = MetadataSetVersionStatus.Draft;
    public required string ChangeNote { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public required string CreatedBy { get; init; }
    public DateTimeOffset? ActivatedAt { get; private set; }
    public string? ActivatedBy { get; private set; }

    public void Activate(string by)
    {
        if (Status != MetadataSetVersionStatus.Draft)
            throw new InvalidOperationException($"Version {Version} is {Status}; only a draft can be activated.");
        Status = MetadataSetVersionStatus.Active;
        ActivatedAt = DateTimeOffset.UtcNow;
        ActivatedBy = by;
    }

    public void Deprecate() => Status = MetadataSetVersionStatus.Deprecated;
}
