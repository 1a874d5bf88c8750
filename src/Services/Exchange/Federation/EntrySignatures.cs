using System.Security.Cryptography;
using System.Text;
using MedImaging.Contracts.Exchange;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// The two signatures of a <see cref="FederatedEntry"/> (ADR 0032). The origin signs the payload once; it never changes
/// on the way, so every node on the path checks the origin's own signature. Each sender signs the hop: the payload's
/// hash with what a hop may set (re-keyed pseudonym, path, share type, addressee), so none of those can be altered or
/// the message redirected in transit.
/// </summary>
public sealed class EntrySignatures(FederationKeys keys)
{
    public string SignPayload(string payload) => Base64UrlEncoder.Encode(keys.Own.Sign(Encoding.UTF8.GetBytes(payload)));

    public string SignHop(string kind, string sender, string recipient, string payload, string? pseudonym, IReadOnlyList<string> path, string share) =>
        Base64UrlEncoder.Encode(keys.Own.Sign(Encoding.UTF8.GetBytes(FederatedEntry.HopStatement(kind, sender, recipient, PayloadHash(payload), pseudonym, path, share))));

    /// <summary>Null when both signatures hold; otherwise why the entry is refused.</summary>
    public string? Check(FederatedEntry e)
    {
        if (e.Kind != FederatedEntry.Unshared)
        {
            if (e.OriginSignature is null) return "the entry carries no origin signature";
            var (origin, problem) = keys.Peer(e.OriginNode);
            if (origin is null) return $"origin signature cannot be checked: {problem}";
            if (!Verify(origin, Encoding.UTF8.GetBytes(e.Payload), e.OriginSignature))
                return $"the origin signature does not verify with node '{e.OriginNode}''s key";
        }
        var (sender, senderProblem) = keys.Peer(e.Sender);
        if (sender is null) return $"hop signature cannot be checked: {senderProblem}";
        var statement = FederatedEntry.HopStatement(e.Kind, e.Sender, e.Recipient, PayloadHash(e.Payload), e.PatientPseudonym, e.Path, e.Share);
        return Verify(sender, Encoding.UTF8.GetBytes(statement), e.HopSignature) ? null : $"the hop signature does not verify with node '{e.Sender}''s key";
    }

    private static bool Verify(Audit.AnchorKey key, byte[] data, string signature)
    {
        byte[] bytes;
        try { bytes = Base64UrlEncoder.DecodeBytes(signature); }
        catch (FormatException) { return false; }
        try { return key.Verify(data, bytes); }
        catch (CryptographicException) { return false; }
    }

    private static string PayloadHash(string payload) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));
}
