using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.Exchange.Audit;

/// <summary>
/// One audit key: ECDSA P-256. The Exchange service holds the private half of the current key (Audit:SigningKeyPath)
/// and nothing else does; verifiers get the public halves from GET /audit/keys. The key id is the RFC 7638 JWK thumbprint,
/// so anyone can compute it from the public key alone.
/// </summary>
public sealed class AnchorKey : IDisposable
{
    public const string Algorithm = "ES256";

    private AnchorKey(ECDsa key, bool hasPrivate, bool current)
    {
        Key = key;
        HasPrivateKey = hasPrivate;
        Current = current;
        var p = key.ExportParameters(false);
        X = Base64UrlEncoder.Encode(p.Q.X);
        Y = Base64UrlEncoder.Encode(p.Q.Y);
        // RFC 7638: the required members in lexicographic order, no whitespace.
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{X}}","y":"{{Y}}"}""")));
    }

    public ECDsa Key { get; }
    public bool HasPrivateKey { get; }
    public bool Current { get; }
    public string KeyId { get; }
    public string X { get; }
    public string Y { get; }

    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Reads a PEM file: a private key (the current key) or a public key (a retired one).</summary>
    public static AnchorKey Load(string path, bool current)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(File.ReadAllText(path));
            var p = ecdsa.ExportParameters(false);
            if (p.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value && p.Curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256"))
                throw new CryptographicException($"the key is on curve {p.Curve.Oid.FriendlyName ?? p.Curve.Oid.Value}, not P-256");
            var hasPrivate = current && HasPrivate(ecdsa);
            if (current && !hasPrivate) throw new CryptographicException("the file holds no private key");
            return new AnchorKey(ecdsa, hasPrivate, current);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>Writes a new P-256 key (PKCS#8 PEM, mode 600) if none exists: development and tests; production mounts one.</summary>
    public static void EnsureExists(string path)
    {
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, ecdsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>
    /// A key held by nothing, for a host that will refuse to start (its configured key is missing or bad): the container
    /// still builds, and the host stops before anything could be signed with it.
    /// </summary>
    internal static AnchorKey Unusable() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), hasPrivate: true, current: true);

    public byte[] Sign(byte[] data) => Key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public bool Verify(byte[] data, byte[] signature) =>
        signature.Length == 64 && Key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => Key.Dispose();

    private static bool HasPrivate(ECDsa ecdsa)
    {
        try
        {
            return ecdsa.ExportParameters(true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
