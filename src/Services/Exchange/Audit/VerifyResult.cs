namespace MedImaging.Exchange.Audit;

/// <summary>What verify found: clean, or the first problem in sequence order.</summary>
public sealed record VerifyResult(bool Ok, long RowsChecked, long AnchorsChecked, VerifyProblem? FirstProblem);

/// <summary>The first broken place of the chain: the row's sequence, what kind of break, and the evidence in words.</summary>
public sealed record VerifyProblem(long Sequence, string Kind, string Detail);

/// <summary>The kinds of break verify names (ADR 0020, "Verification").</summary>
public static class VerifyProblemKinds
{
    /// <summary>A row's content no longer hashes to its stored hash: a field was changed after it was appended.</summary>
    public const string ContentChanged = "content-changed";

    /// <summary>Sequence numbers skip: the rows in between were deleted.</summary>
    public const string SequenceGap = "sequence-gap";

    /// <summary>A row's previous hash is not the hash of the row before it: a row was removed and the rest renumbered, or a row replaced.</summary>
    public const string RowMissing = "row-missing";

    /// <summary>An anchor's signature does not verify, or it signs a hash other than the row's.</summary>
    public const string AnchorMismatch = "anchor-mismatch";

    /// <summary>A valid anchor names a row beyond the last one: rows were cut off the end.</summary>
    public const string ChainCutShort = "chain-cut-short";
}
