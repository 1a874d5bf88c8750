using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.ServiceDefaults.Auth;

/// <summary>
/// The node's token signing key: an RSA key in a PEM file (Auth:SigningKeyPath) that the gateway signs with and every
/// service of the node validates with. Services use only its public half; the key id is derived from it so both
/// sides agree without configuration. See docs/adr/0003-token-validation.md.
/// </summary>
public static class NodeSigningKey
{
    public const string ConfigurationKey = "Auth:SigningKeyPath";
    public const string Audience = "medcat-api";

    public static RsaSecurityKey Load(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        var modulus = rsa.ExportParameters(false).Modulus!;
        return new RsaSecurityKey(rsa) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(modulus))[..16] };
    }

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
