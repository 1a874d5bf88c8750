using System.Security.Cryptography;
using MedImaging.ServiceDefaults.Node;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.ServiceDefaults.Auth;

/// <summary>
/// The gateway's keys, and only the gateway's: <see cref="Current"/> signs every token; <see cref="Next"/> is published
/// ahead of a rotation but signs nothing yet; <see cref="Previous"/> (a public key) stays published after a rotation
/// until the tokens it signed have expired. See docs/adr/0003-token-validation-in-every-service.md.
/// </summary>
public sealed record NodeSigningKeys(RsaSecurityKey Current, RsaSecurityKey? Next, RsaSecurityKey? Previous)
{
    /// <summary>What the gateway publishes (public halves): current, next, previous.</summary>
    public IReadOnlyList<RsaSecurityKey> Published =>
        [.. new[] { Current, Next, Previous }.OfType<RsaSecurityKey>().Select(NodeSigningKey.PublicOf).DistinctBy(k => k.KeyId)];

    /// <summary>Loads the key files; <see cref="NodeConfigurationException"/> with the one line to print when one is wrong.</summary>
    public static NodeSigningKeys Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration[NodeSigningKey.ConfigurationKey];
        if (string.IsNullOrWhiteSpace(path))
            throw new NodeConfigurationException($"{NodeSigningKey.ConfigurationKey} is not set (environment variable Auth__SigningKeyPath): the gateway signs the node's tokens with it.");
        if (environment.IsDevelopment())
            NodeSigningKey.EnsureExists(path);
        var current = LoadOne(NodeSigningKey.ConfigurationKey, path, requirePrivate: true);
        var next = configuration[NodeSigningKey.NextConfigurationKey] is { Length: > 0 } nextPath
            ? LoadOne(NodeSigningKey.NextConfigurationKey, nextPath, requirePrivate: true) : null;
        var previous = configuration[NodeSigningKey.PreviousConfigurationKey] is { Length: > 0 } previousPath
            ? NodeSigningKey.PublicOf(LoadOne(NodeSigningKey.PreviousConfigurationKey, previousPath, requirePrivate: false)) : null;
        if (next?.KeyId == current.KeyId)
            throw new NodeConfigurationException($"{NodeSigningKey.NextConfigurationKey}: {configuration[NodeSigningKey.NextConfigurationKey]} is the current key (kid {current.KeyId}); the next key must be a new one.");
        return new NodeSigningKeys(current, next, previous);
    }

    private static RsaSecurityKey LoadOne(string setting, string path, bool requirePrivate)
    {
        if (!File.Exists(path))
            throw new NodeConfigurationException($"{setting}: {path} not found.");
        try
        {
            var key = NodeSigningKey.Load(path);
            if (requirePrivate && key.PrivateKeyStatus == PrivateKeyStatus.DoesNotExist)
                throw new NodeConfigurationException($"{setting}: {path} holds a public key only; the gateway needs the private key to sign.");
            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new NodeConfigurationException($"{setting}: {path} is not a PEM RSA {(requirePrivate ? "private" : "public or private")} key ({ex.Message}).", ex);
        }
    }
}
