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
    public PhiRecord Seal(IReadOnlyDictionary<string, string[]> phi)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, string[]>(phi.ToDictionary(), StringComparer.Ordinal));
        var id = Guid.CreateVersion7();
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(keys.VaultKeys[keys.ActiveKeyId], tag.Length))
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(id));
        return new PhiRecord
        {
            Id = id,
            Digest = pseudonyms.Digest("phi", Encoding.UTF8.GetString(plaintext)),
            KeyId = keys.ActiveKeyId,
            Nonce = nonce,
            Tag = tag,
            Ciphertext = ciphertext,
        };
    }

    /// <summary>The digest a sealed record of this PHI would carry, to find an existing row without encrypting.</summary>
    public string DigestOf(IReadOnlyDictionary<string, string[]> phi)
        => pseudonyms.Digest("phi", Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, string[]>(phi.ToDictionary(), StringComparer.Ordinal))));

    public IReadOnlyDictionary<string, string[]> Open(PhiRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!keys.VaultKeys.TryGetValue(record.KeyId, out var key))
            throw new CryptographicException($"PHI vault key '{record.KeyId}' is not configured; it is needed to read vault row {record.Id}.");
        var plaintext = new byte[record.Ciphertext.Length];
        using var aes = new AesGcm(key, record.Tag.Length);
        aes.Decrypt(record.Nonce, record.Ciphertext, record.Tag, plaintext, AssociatedData(record.Id));
        return JsonSerializer.Deserialize<Dictionary<string, string[]>>(plaintext) ?? [];
    }

    private static byte[] AssociatedData(Guid id) => Encoding.ASCII.GetBytes($"registration.phi_vault:{id:N}");
}
