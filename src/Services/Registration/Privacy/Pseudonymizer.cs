using System.Security.Cryptography;
using System.Text;

namespace MedImaging.Registration.Privacy;

/// <summary>
/// Keyed pseudonyms (HMAC-SHA256 with <c>Registration:Pseudonym:Key</c>): stable for the same input on this node, so
/// a patient's studies link up, and not reversible or guessable without the key (a plain hash of a patient ID is).
/// </summary>
public sealed class Pseudonymizer(RegistrationKeys keys)
{
    /// <summary>A hex digest of <paramref name="value"/> in a domain (patient, accession, content …), so equal values of different kinds never collide.</summary>
    public string Digest(string domain, string value)
        => Convert.ToHexStringLower(HMACSHA256.HashData(keys.PseudonymKey, Encoding.UTF8.GetBytes($"{domain}\n{value}")));

    public string Digest(string domain, ReadOnlySpan<byte> value)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keys.PseudonymKey);
        hmac.AppendData(Encoding.UTF8.GetBytes(domain + "\n"));
        hmac.AppendData(value);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>The patient pseudonym: issuer and ID together, as two hospitals may reuse the same ID.</summary>
    public string? Patient(string? patientId, string? issuer)
        => string.IsNullOrWhiteSpace(patientId) ? null : Digest("patient", $"{issuer?.Trim()}|{patientId.Trim()}")[..32];
}
