namespace MedImaging.Directory.Search.Index;

/// <summary>The in-process search index of the read model (ADR 0030), section <c>Directory:Index</c>.</summary>
public sealed class CatalogIndexOptions
{
    public const string Section = "Directory:Index";

    /// <summary>Off: every search runs in PostgreSQL (ADR 0025), as before the index.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The index folder on this instance's own disk. Empty: a folder of this process under the system's temporary
    /// folder, built from the read model at start and removed at exit. A kept folder resumes where it stopped; two
    /// processes never share one (Lucene's write lock refuses the second, which then builds its own under /tmp).
    /// </summary>
    public string? Path { get; set; }

    /// <summary>How often the feeder looks for changed entries when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Entries read from the read model per batch.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>
    /// How long a search waits for the index to hold every entry committed before it began; past this it runs in
    /// PostgreSQL instead, so that a search never misses a committed entry.
    /// </summary>
    public TimeSpan FreshnessWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long outright deletions stay in the change feed (<c>catalog_deletions</c>). An instance whose saved index is
    /// older than this rebuilds its index from the table instead of replaying them.
    /// </summary>
    public TimeSpan DeletionRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often an instance prunes the deletions past <see cref="DeletionRetention"/> that it has applied.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the index is committed to disk (a restart resumes from the last commit).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(30);
}
