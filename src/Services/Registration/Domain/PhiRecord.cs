namespace MedImaging.Registration.Domain;

/// <summary>
/// Protected health information split off at the door (§3.3.1 "split and merge"): AES-256-GCM ciphertext of the
/// identifying attributes, with the key id, nonce and tag needed to decrypt it after a key rotation.
/// <see cref="Digest"/> is a keyed HMAC of the plaintext so identical PHI is stored once.
/// </summary>
public sealed class PhiRecord
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Digest { get; init; }
    public required string KeyId { get; init; }
    public required byte[] Nonce { get; init; }
    public required byte[] Tag { get; init; }
    public required byte[] Ciphertext { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
