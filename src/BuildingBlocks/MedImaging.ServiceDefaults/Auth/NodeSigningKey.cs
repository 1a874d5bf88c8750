using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.ServiceDefaults.Auth;

/// <summary>
/// The node's token signing keys: RSA keys in PEM files that only the gateway holds (Auth:SigningKeyPath signs,
/// Auth:NextSigningKeyPath is published ahead of a rotation). Services validate with the public halves the gateway
/// publishes (<see cref="NodeJwks"/>, Auth:PublicKeysPath). The key id is derived from the modulus, so the gateway, the
/// JWKS and every service agree without configuration. See docs/adr/0003-token-validation-in-every-service.md.
/// </summary>
public static class NodeSigningKey
{
    public const string ConfigurationKey = "Auth:SigningKeyPath";
    public const string NextConfigurationKey = "Auth:NextSigningKeyPath";
    public const string PreviousConfigurationKey = "Auth:PreviousPublicKeyPath";
    public const string PublicKeysConfigurationKey = "Auth:PublicKeysPath";
    public const string Audience = "medcat-api";

    /// <summary>Loads an RSA key from a PEM file (private or public), with its derived key id.</summary>
    public static RsaSecurityKey Load(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return new RsaSecurityKey(rsa) { KeyId = KeyIdOf(rsa.ExportParameters(false).Modulus!) };
    }

    /// <summary>The public half of a key, as a key that cannot sign (what services hold).</summary>
    public static RsaSecurityKey PublicOf(RsaSecurityKey key)
    {
        var parameters = key.Rsa?.ExportParameters(false) ?? new RSAParameters { Modulus = key.Parameters.Modulus, Exponent = key.Parameters.Exponent };
        return new RsaSecurityKey(new RSAParameters { Modulus = parameters.Modulus, Exponent = parameters.Exponent }) { KeyId = KeyIdOf(parameters.Modulus!) };
    }

    public static string KeyIdOf(byte[] modulus) => Base64UrlEncoder.Encode(SHA256.HashData(modulus))[..16];

    /// <summary>Writes a new 2048-bit key if none exists (development and tests; production mounts one).</summary>
    public static void EnsureExists(string path)
    {
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var rsa = RSA.Create(2048);
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
