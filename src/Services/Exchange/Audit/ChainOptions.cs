namespace MedImaging.Exchange.Audit;

/// <summary>The audit trail's settings (configuration section <c>Audit</c>; ADR 0020).</summary>
public sealed class ChainOptions
{
    public const string Section = "Audit";

    /// <summary>Sign the chain head every this many rows (each row whose sequence is a multiple of it is anchored).</summary>
    public int AnchorEvery { get; set; } = 1000;

    /// <summary>And at least this often while new rows arrive, so a quiet node's last rows are anchored too.</summary>
    public TimeSpan AnchorInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The Exchange service's audit key: an ECDSA P-256 private key in a PEM file (PKCS#8 or SEC1).</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>Public keys (PEM files) of audit keys used before a rotation, so that their anchors still verify.</summary>
    public List<string> RetiredPublicKeyPaths { get; set; } = [];

    /// <summary>Rows read per page by verify: memory stays flat however long the chain is.</summary>
    public int VerifyPageSize { get; set; } = 2000;

    /// <summary>The most events one append transaction takes (the consumer's batch size).</summary>
    public int AppendBatchSize { get; set; } = 500;

    /// <summary>
    /// How long a partial batch waits for more events before it is appended. Each append is a commit (an fsync) in the
    /// node's PostgreSQL, which ingest shares: at one event per STOW request, a window of 20 ms made almost every event
    /// its own commit and cost ingest a tenth of its rate on a 2-core node; a second makes it one commit a second at any
    /// rate below <see cref="AppendBatchSize"/> per second. The trail lags the fact by at most this much.
    /// </summary>
    public TimeSpan AppendWindow { get; set; } = TimeSpan.FromSeconds(1);
}
