namespace MedImaging.Directory.Domain;

/// <summary>Where a rebuild of the read model stands.</summary>
public enum RebuildState
{
    Running,
    Succeeded,
    Failed,

    /// <summary>Its host stopped (or died) before it finished; the next rebuild starts over.</summary>
    Interrupted,
}

/// <summary>
/// One rebuild of the read model from Registration's published-entries feed (ADR 0024): who asked, how far it got.
/// Progress is saved with each page's writes, so any replica answers where the run stands.
/// </summary>
public sealed class RebuildRun
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public RebuildState State { get; set; } = RebuildState.Running;
    public required string RequestedBy { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Pages of the feed written so far.</summary>
    public int Pages { get; set; }

    /// <summary>Published records of the feed written into the read model.</summary>
    public long EntriesWritten { get; set; }

    /// <summary>This node's entries the read model showed that Registration no longer has published: tombstoned.</summary>
    public long EntriesRemoved { get; set; }
    public string? LastError { get; set; }
}
