using System.Security.Cryptography;

namespace MedImaging.Registration.Privacy;

/// <summary>
/// The PHI vault's AES-256 keys (by key id, one active) and the pseudonym HMAC key. From configuration
/// (<c>Registration:PhiVault:Keys:&lt;keyId&gt;</c> base64, <c>Registration:PhiVault:ActiveKeyId</c>,
/// <c>Registration:Pseudonym:Key</c>); only in Development and Testing may missing keys be generated into files under
/// <c>Registration:KeyDirectory</c>. See docs/adr/0007-phi-vault.md.
/// </summary>
public sealed class RegistrationKeys
{
    public const string DevelopmentKeyId = "dev-1";

    public required string ActiveKeyId { get; init; }
    public required IReadOnlyDictionary<string, byte[]> VaultKeys { get; init; }
    public required byte[] PseudonymKey { get; init; }

    /// <summary>Loads the keys, or returns the one line that says what is missing or wrong.</summary>
    public static (RegistrationKeys? Keys, string? Problem) Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var mayGenerate = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        var directory = configuration["Registration:KeyDirectory"];
        // Beside the node's keys (the JWKS a service is given; before ADR 0003's key set, the signing key file).
        if (string.IsNullOrWhiteSpace(directory) && mayGenerate && (configuration["Auth:PublicKeysPath"] ?? configuration["Auth:SigningKeyPath"]) is { Length: > 0 } signing)
            directory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(signing)) ?? ".", "registration-keys");
        try
        {
            var vault = configuration.GetSection("Registration:PhiVault:Keys").GetChildren()
                .ToDictionary(k => k.Key, k => Decode($"Registration:PhiVault:Keys:{k.Key}", k.Value, 32, exact: true), StringComparer.Ordinal);
            var active = configuration["Registration:PhiVault:ActiveKeyId"];
            if (vault.Count == 0)
            {
                if (!mayGenerate || directory is null)
                    return (null, "Registration:PhiVault:Keys is not set: the PHI vault needs a 256-bit key (base64) and Registration:PhiVault:ActiveKeyId.");
                vault[DevelopmentKeyId] = GeneratedKey(directory, "phi-vault-dev-1.key");
                active ??= DevelopmentKeyId;
            }
            if (string.IsNullOrWhiteSpace(active) || !vault.ContainsKey(active))
                return (null, $"Registration:PhiVault:ActiveKeyId '{active}' names none of the configured keys ({string.Join(", ", vault.Keys)}).");

            var pseudonymText = configuration["Registration:Pseudonym:Key"];
            byte[] pseudonym;
            if (!string.IsNullOrWhiteSpace(pseudonymText)) pseudonym = Decode("Registration:Pseudonym:Key", pseudonymText, 32, exact: false);
            else if (mayGenerate && directory is not null) pseudonym = GeneratedKey(directory, "pseudonym-dev.key");
            else return (null, "Registration:Pseudonym:Key is not set: catalogue pseudonyms need a keyed HMAC key of at least 256 bits (base64).");
            return (new RegistrationKeys { ActiveKeyId = active, VaultKeys = vault, PseudonymKey = pseudonym }, null);
        }
        catch (KeyConfigurationException ex)
        {
            return (null, ex.Message);
        }
    }

    private static byte[] Decode(string name, string? base64, int bytes, bool exact)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64 ?? ""); }
        catch (FormatException) { throw new KeyConfigurationException($"{name} is not base64."); }
        if (exact ? key.Length != bytes : key.Length < bytes)
            throw new KeyConfigurationException($"{name} is {key.Length * 8} bits; {(exact ? "exactly" : "at least")} {bytes * 8} are required.");
        return key;
    }

    // Development and tests only: a random key kept in a file so restarts can still decrypt what was stored.
    private static byte[] GeneratedKey(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        try
        {
            if (File.Exists(path)) return Decode(path, File.ReadAllText(path).Trim(), 32, exact: true);
            Directory.CreateDirectory(directory);
            var key = RandomNumberGenerator.GetBytes(32);
            File.WriteAllText(path, Convert.ToBase64String(key));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return key;
        }
        catch (IOException ex)
        {
            throw new KeyConfigurationException($"Registration:KeyDirectory {directory}: cannot write a development key ({ex.Message}).");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new KeyConfigurationException($"Registration:KeyDirectory {directory}: cannot write a development key ({ex.Message}).");
        }
    }

    private sealed class KeyConfigurationException(string message) : Exception(message);
}
