using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedImaging.Registration.Domain;

namespace MedImaging.Registration.Privacy;

/// <summary>
/// Seals and opens PHI with AES-256-GCM (§3.3.1). Each row records the key id, a random 96-bit nonce and the tag, so a
/// new active key applies to new rows while old rows stay readable with their own key. The row id is bound in as
/// associated data: a ciphertext copied onto another row does not decrypt.
/// </summary>
public sealed class PhiVault(RegistrationKeys keys, Pseudonymizer pseudonyms)
{
    public PhiRecord Seal(IReadOnlyDictionary<string, string[]> phi) => Seal(Plaintext(phi));

    /// <summary>The canonical plaintext of <paramref name="phi"/> (sorted keys) and the digest a sealed row of it carries.</summary>
    public SealablePhi Prepare(IReadOnlyDictionary<string, string[]> phi)
    {
        var plaintext = Plaintext(phi);
        return new SealablePhi(plaintext, pseudonyms.Digest("phi", plaintext));
    }

    /// <summary>Seals PHI prepared earlier: ingest digests every instance's PHI but seals only what the vault lacks.</summary>
    public PhiRecord Seal(SealablePhi phi)
    {
        ArgumentNullException.ThrowIfNull(phi);
        return Seal(phi.Plaintext, phi.Digest);
    }

    private PhiRecord Seal(byte[] plaintext) => Seal(plaintext, pseudonyms.Digest("phi", plaintext));

    private PhiRecord Seal(byte[] plaintext, string digest) => Seal(plaintext, digest, Guid.CreateVersion7());

    private PhiRecord Seal(byte[] plaintext, string digest, Guid id)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(keys.VaultKeys[keys.ActiveKeyId], tag.Length))
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(id));
        return new PhiRecord
        {
            Id = id,
            Digest = digest,
            KeyId = keys.ActiveKeyId,
            Nonce = nonce,
            Tag = tag,
            Ciphertext = ciphertext,
        };
    }

    /// <summary>The digest a sealed record of this PHI would carry, to find an existing row without encrypting.</summary>
    public string DigestOf(IReadOnlyDictionary<string, string[]> phi) => pseudonyms.Digest("phi", Plaintext(phi));

    // The digest is an HMAC of these bytes (the same bytes as the UTF-8 of their text, so older rows still match).
    private static byte[] Plaintext(IReadOnlyDictionary<string, string[]> phi)
        => JsonSerializer.SerializeToUtf8Bytes(phi is SortedDictionary<string, string[]> sorted && sorted.Comparer == StringComparer.Ordinal
            ? sorted : new SortedDictionary<string, string[]>(phi.ToDictionary(), StringComparer.Ordinal));

    public IReadOnlyDictionary<string, string[]> Open(PhiRecord record)
        => JsonSerializer.Deserialize<Dictionary<string, string[]>>(Decrypt(record)) ?? [];

    /// <summary>The key new rows are sealed with, and whether a row's key is configured at all.</summary>
    public string ActiveKeyId => keys.ActiveKeyId;

    public bool HasKey(string keyId) => keys.VaultKeys.ContainsKey(keyId);

    public IEnumerable<string> KeyIds => keys.VaultKeys.Keys;

    /// <summary>
    /// The row sealed again under the active key (same id and digest, fresh nonce), checked to open to exactly the bytes
    /// the old key opened before it is returned: key rotation writes only a ciphertext it has read back.
    /// </summary>
    public PhiRecord Reseal(PhiRecord record)
    {
        var plaintext = Decrypt(record);
        var resealed = Seal(plaintext, record.Digest, record.Id);
        if (!CryptographicOperations.FixedTimeEquals(Decrypt(resealed), plaintext))
            throw new CryptographicException($"Vault row {record.Id} did not read back the same under key '{resealed.KeyId}'.");
        return resealed;
    }

    private byte[] Decrypt(PhiRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!keys.VaultKeys.TryGetValue(record.KeyId, out var key))
            throw new CryptographicException($"PHI vault key '{record.KeyId}' is not configured; it is needed to read vault row {record.Id}.");
        var plaintext = new byte[record.Ciphertext.Length];
        using var aes = new AesGcm(key, record.Tag.Length);
        aes.Decrypt(record.Nonce, record.Ciphertext, record.Tag, plaintext, AssociatedData(record.Id));
        return plaintext;
    }

    private static byte[] AssociatedData(Guid id) => Encoding.ASCII.GetBytes($"registration.phi_vault:{id:N}");
}

/// <summary>PHI ready to seal: its canonical plaintext and its vault digest.</summary>
public sealed record SealablePhi(byte[] Plaintext, string Digest);
