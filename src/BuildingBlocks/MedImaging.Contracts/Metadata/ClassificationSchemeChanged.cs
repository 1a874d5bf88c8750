namespace MedImaging.Contracts.Metadata;

/// <summary>
/// The resource classification scheme (§4.9.2, 类目/亚目/细目) or its DICOM mapping changed: a node was added, renamed
/// or withdrawn, or a mapping rule changed. Services that classify or display classifications reload it.
/// </summary>
public sealed record ClassificationSchemeChanged : IntegrationEvent
{
    public required string SchemeCode { get; init; }

    /// <summary>The scheme's revision after the change; revisions only grow.</summary>
    public required int Revision { get; init; }

    /// <summary>node-added, node-renamed, node-withdrawn, mapping-changed.</summary>
    public required string ChangeKind { get; init; }

    /// <summary>The node's full code (e.g. "2.2.1") or the mapping rule ("Modality=CT").</summary>
    public required string Subject { get; init; }

    public required string ChangedBy { get; init; }
    public string? Reason { get; init; }
}
