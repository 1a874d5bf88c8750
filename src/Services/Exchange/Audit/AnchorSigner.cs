using System.Globalization;

namespace MedImaging.Exchange.Audit;

/// <summary>
/// Signs chain heads with the current audit key and checks anchors against every known public key. What is signed is
/// the anchor's canonical form, written with the same fields as a row's (ChainCanonicalForm): "medcat-audit-anchor/1",
/// node, sequence (decimal), the row's hash (32 bytes), signing time, key id.
/// </summary>
public sealed class AnchorSigner(AnchorKey current, IReadOnlyList<AnchorKey> retired) : IDisposable
{
    public const string AnchorFormat = "medcat-audit-anchor/1";

    public AnchorKey Current => current;

    /// <summary>Every public key an anchor may name: the current one first.</summary>
    public IReadOnlyList<AnchorKey> Keys { get; } = [current, .. retired];

    public AnchorRecord Sign(string node, long sequence, byte[] hash, DateTimeOffset now)
    {
        var signedAt = ChainCanonicalForm.ToMicroseconds(now);
        var form = FormOf(node, sequence, hash, signedAt, current.KeyId);
        return new AnchorRecord
        {
            Sequence = sequence, Hash = hash, SignedAt = signedAt, Node = node, KeyId = current.KeyId,
            Algorithm = AnchorKey.Algorithm, Signature = current.Sign(form),
        };
    }

    /// <summary>Null when the signature is good; otherwise why not.</summary>
    public string? Check(AnchorRecord anchor)
    {
        if (anchor.Algorithm != AnchorKey.Algorithm) return $"algorithm {anchor.Algorithm} is not {AnchorKey.Algorithm}";
        var key = Keys.FirstOrDefault(k => k.KeyId == anchor.KeyId);
        if (key is null) return $"signed with key {anchor.KeyId}, which is not one of this service's audit keys (GET /audit/keys)";
        return key.Verify(FormOf(anchor.Node, anchor.Sequence, anchor.Hash, anchor.SignedAt, anchor.KeyId), anchor.Signature)
            ? null : $"the signature does not verify with key {anchor.KeyId}";
    }

    public static byte[] FormOf(string node, long sequence, byte[] hash, DateTimeOffset signedAt, string keyId)
    {
        var w = new ChainCanonicalForm.FieldWriter();
        w.Text(AnchorFormat);
        w.Text(node);
        w.Text(sequence.ToString(CultureInfo.InvariantCulture));
        w.Bytes(hash);
        w.Text(ChainCanonicalForm.Time(signedAt));
        w.Text(keyId);
        return w.ToArray();
    }

    public void Dispose()
    {
        foreach (var k in Keys) k.Dispose();
    }
}
