namespace MedImaging.Exchange.Audit;

/// <summary>
/// A signed statement "row <see cref="Sequence"/> of this node's trail has hash <see cref="Hash"/>", made with the Exchange
/// service's audit key (ADR 0020). Kept apart from the rows, so that cutting rows off the end of the chain (which leaves a
/// chain that is consistent in itself) is still detected: an anchor names a row that is no longer there.
/// </summary>
public sealed class AnchorRecord
{
    /// <summary>The anchored row's sequence; one anchor per row at most.</summary>
    public long Sequence { get; init; }

    /// <summary>The anchored row's hash as it was when signed.</summary>
    public required byte[] Hash { get; init; }

    public DateTimeOffset SignedAt { get; init; }

    /// <summary>The node whose trail it is.</summary>
    public required string Node { get; init; }

    /// <summary>The RFC 7638 thumbprint of the public key that verifies <see cref="Signature"/> (GET /audit/keys).</summary>
    public required string KeyId { get; init; }

    /// <summary>ES256: ECDSA P-256 with SHA-256, the signature as r ‖ s (64 bytes, IEEE P1363, as in JWS).</summary>
    public required string Algorithm { get; init; }

    public required byte[] Signature { get; init; }
}
