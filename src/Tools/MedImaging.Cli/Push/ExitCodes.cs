namespace MedImaging.Cli.Push;

/// <summary>What <c>medcat push</c> exits with.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>At least one instance was refused or could not be sent; the summary lists them.</summary>
    public const int Failures = 1;

    public const int Usage = 2;

    /// <summary>No token, the node unreachable, the journal unwritable: nothing more could be done.</summary>
    public const int Fatal = 3;

    /// <summary>
    /// The node refused a batch as too large (HTTP 413): its request size limit is below --batch-bytes, or one file alone
    /// exceeds it. The other batches were sent; the summary lists the refused files.
    /// </summary>
    public const int TooLarge = 4;

    /// <summary>Stopped (Ctrl-C or --max-batches) before every file was sent; a re-run resumes.</summary>
    public const int Interrupted = 130;
}
