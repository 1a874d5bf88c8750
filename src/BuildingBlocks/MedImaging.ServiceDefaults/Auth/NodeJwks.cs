using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.ServiceDefaults.Auth;

/// <summary>
/// The node's published token keys as a JSON Web Key Set (RFC 7517): RSA public keys only, each with the key id
/// <see cref="NodeSigningKey"/> derives. The gateway writes it (Auth:PublicKeysPath); services read it.
/// </summary>
public static class NodeJwks
{
    // Members of an RSA JWK that carry private key material (RFC 7518 §6.3.2): a JWKS holding one is refused.
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth"];

    public static string Serialize(IEnumerable<RsaSecurityKey> keys)
    {
        var array = new JsonArray();
        foreach (var key in keys.Select(NodeSigningKey.PublicOf))
            array.Add(new JsonObject
            {
                ["kty"] = "RSA", ["use"] = "sig", ["alg"] = SecurityAlgorithms.RsaSha256, ["kid"] = key.KeyId,
                ["n"] = Base64UrlEncoder.Encode(key.Parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(key.Parameters.Exponent),
            });
        return new JsonObject { ["keys"] = array }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes the set through a temporary file and a rename, so a reader never sees half a file. Public: mode 644.</summary>
    public static void Write(string path, IEnumerable<RsaSecurityKey> keys)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, Serialize(keys), new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The public keys of a JWKS document; <see cref="FormatException"/> saying what is wrong otherwise.</summary>
    public static IReadOnlyList<RsaSecurityKey> Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not JSON: {ex.Message}", ex);
        }
        if (root is not JsonObject { } set || set["keys"] is not JsonArray keys)
            throw new FormatException("no \"keys\" array (a JSON Web Key Set is {\"keys\": [...]})");
        var result = new List<RsaSecurityKey>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] is not JsonObject key || Text(key, "kty") != "RSA")
                throw new FormatException($"keys[{i}] is not an RSA key (kty RSA)");
            if (PrivateMembers.FirstOrDefault(key.ContainsKey) is { } member)
                throw new FormatException($"keys[{i}] holds private key material (\"{member}\"): publish public keys only");
            byte[] n, e;
            try
            {
                n = Base64UrlEncoder.DecodeBytes(Text(key, "n") ?? throw new FormatException($"keys[{i}] has no \"n\""));
                e = Base64UrlEncoder.DecodeBytes(Text(key, "e") ?? throw new FormatException($"keys[{i}] has no \"e\""));
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"keys[{i}]: n or e is not base64url ({ex.Message})", ex);
            }
            if (n.Length < 256)
                throw new FormatException($"keys[{i}] is {n.Length * 8} bits; at least 2048 are required");
            var kid = NodeSigningKey.KeyIdOf(n);
            if (Text(key, "kid") is { } stated && stated != kid)
                throw new FormatException($"keys[{i}]: kid \"{stated}\" is not the id derived from its modulus (\"{kid}\")");
            result.Add(new RsaSecurityKey(new System.Security.Cryptography.RSAParameters { Modulus = n, Exponent = e }) { KeyId = kid });
        }
        if (result.Count == 0)
            throw new FormatException("the \"keys\" array is empty");
        return result;
    }

    private static string? Text(JsonObject key, string member) =>
        key[member] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
