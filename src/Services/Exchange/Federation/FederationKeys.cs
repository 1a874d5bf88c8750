using System.Collections.Concurrent;
using System.Security.Cryptography;
using MedImaging.Exchange.Audit;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// This node's federation key (signs what it originates and every hop it sends) and the other nodes' public keys
/// (checks what arrives). A peer's key file is read when first needed and again when the file changes, so a node that
/// joins later, or rotates its key, is picked up without a restart here.
/// </summary>
public sealed class FederationKeys(AnchorKey own, string? peerKeysPath) : IDisposable
{
    private readonly ConcurrentDictionary<string, (DateTime Written, AnchorKey Key)> _peers = new(StringComparer.Ordinal);

    public AnchorKey Own => own;

    public string PeerKeyFile(string node) => Path.Combine(peerKeysPath ?? ".", $"{node}.pub.pem");

    /// <summary>A node's public key, or null with why not (no folder configured, no file, unreadable).</summary>
    public (AnchorKey? Key, string? Problem) Peer(string node)
    {
        if (string.IsNullOrWhiteSpace(peerKeysPath)) return (null, "Federation:PeerKeysPath is not set: this node knows no other node's key");
        // A node id is a tier file's nodeId; anything else never names a file.
        if (node.Length is 0 or > 64 || !node.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return (null, $"'{node}' is not a node id");
        var file = PeerKeyFile(node);
        try
        {
            var written = File.GetLastWriteTimeUtc(file);
            if (!File.Exists(file)) return (null, $"no public key for node '{node}' ({file})");
            if (_peers.TryGetValue(node, out var known) && known.Written == written) return (known.Key, null);
            var key = AnchorKey.Load(file, current: false);
            _peers[node] = (written, key);
            return (key, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return (null, $"the public key of node '{node}' ({file}) cannot be read: {ex.Message}");
        }
    }

    /// <summary>Writes this node's public key into the peer folder (development and tests, where nodes share one machine).</summary>
    public void PublishOwn(string node)
    {
        if (string.IsNullOrWhiteSpace(peerKeysPath)) return;
        Directory.CreateDirectory(peerKeysPath);
        var file = PeerKeyFile(node);
        if (File.Exists(file) && File.ReadAllText(file) == own.PublicKeyPem) return;
        File.WriteAllText(file + ".tmp", own.PublicKeyPem);
        File.Move(file + ".tmp", file, overwrite: true);
    }

    /// <summary>
    /// The key this node re-keys patient pseudonyms with, derived from its federation key: secret to this node, stable
    /// while the key is (a re-keyed pseudonym must stay the same across publications of one patient's studies).
    /// </summary>
    public byte[] PseudonymKey => _pseudonymKey ??= HKDF.DeriveKey(HashAlgorithmName.SHA256,
        own.Key.ExportParameters(true).D ?? throw new CryptographicException("the federation key has no private part"),
        32, salt: [], info: "medcat federation pseudonym re-keying"u8.ToArray());

    private byte[]? _pseudonymKey;

    public void Dispose()
    {
        own.Dispose();
        foreach (var (_, key) in _peers.Values) key.Dispose();
    }
}
