using MedImaging.ServiceDefaults.Node;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.ServiceDefaults.Auth;

/// <summary>
/// The public keys a host validates access tokens with — never a private key. For a service, the node's JWKS file
/// (Auth:PublicKeysPath), read again whenever the file changes (checked on each validation: one stat) and, at most
/// once per <see cref="ForcedReloadInterval"/>, when a token names a key id the set does not hold; so a rotation needs no
/// restart. For the gateway, the keys it publishes. See docs/adr/0003-token-validation-in-every-service.md.
/// </summary>
public sealed class NodeKeySet
{
    /// <summary>How often a token with an unknown key id may make the file be read even though it looks unchanged.</summary>
    public static readonly TimeSpan ForcedReloadInterval = TimeSpan.FromSeconds(10);

    private readonly string? _path;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private volatile Snapshot _current;
    private DateTimeOffset _lastForcedReload = DateTimeOffset.MinValue;

    private sealed record Snapshot(IReadOnlyList<RsaSecurityKey> Keys, (DateTime Written, long Length) Stamp);

    private NodeKeySet(string? path, IReadOnlyList<RsaSecurityKey> keys, (DateTime, long) stamp, TimeProvider clock)
    {
        _path = path;
        _clock = clock;
        _current = new Snapshot(keys, stamp);
    }

    /// <summary>Where the keys come from (a file path), or null for a fixed set.</summary>
    public string? Path => _path;

    /// <summary>The last problem met reading the file again (the previous keys stay in use), or null.</summary>
    public string? ReloadProblem { get; private set; }

    /// <summary>The keys now, after looking whether the file changed.</summary>
    public IReadOnlyList<RsaSecurityKey> Keys
    {
        get
        {
            RefreshIfChanged(null);
            return _current.Keys;
        }
    }

    public static NodeKeySet Fixed(IEnumerable<RsaSecurityKey> keys) =>
        new(null, [.. keys.Select(NodeSigningKey.PublicOf)], default, TimeProvider.System);

    /// <summary>Reads the JWKS file; <see cref="NodeConfigurationException"/> with the one line to print when it cannot.</summary>
    public static NodeKeySet Load(string path, TimeProvider? clock = null)
    {
        if (!File.Exists(path))
            throw new NodeConfigurationException($"{NodeSigningKey.PublicKeysConfigurationKey}: {path} not found (the gateway writes the node's public keys there at start and with --publish-keys).");
        try
        {
            var stamp = Stamp(path);
            return new NodeKeySet(path, NodeJwks.Parse(File.ReadAllText(path)), stamp, clock ?? TimeProvider.System);
        }
        catch (FormatException ex)
        {
            throw new NodeConfigurationException($"{NodeSigningKey.PublicKeysConfigurationKey}: {path} is not a JSON Web Key Set of RSA public keys: {ex.Message}.", ex);
        }
        catch (IOException ex)
        {
            throw new NodeConfigurationException($"{NodeSigningKey.PublicKeysConfigurationKey}: {path} cannot be read ({ex.Message}).", ex);
        }
    }

    /// <summary>
    /// The keys to try for a token naming <paramref name="kid"/>: that key when the set holds it; otherwise the file is
    /// read again (rate-limited) in case the gateway published it since; failing that every key, so the signature check
    /// fails with "key not found".
    /// </summary>
    public IEnumerable<SecurityKey> Resolve(string? kid, ILogger? logger = null)
    {
        RefreshIfChanged(logger);
        var keys = _current.Keys;
        if (kid is null) return keys;
        if (keys.FirstOrDefault(k => k.KeyId == kid) is { } key) return [key];
        if (_path is not null)
        {
            var now = _clock.GetUtcNow();
            var due = false;
            lock (_gate)
            {
                if (now - _lastForcedReload >= ForcedReloadInterval)
                {
                    _lastForcedReload = now;
                    due = true;
                }
            }
            if (due)
            {
                Reload(logger);
                if (_current.Keys.FirstOrDefault(k => k.KeyId == kid) is { } found) return [found];
            }
        }
        return _current.Keys;
    }

    private void RefreshIfChanged(ILogger? logger)
    {
        if (_path is null) return;
        (DateTime, long) stamp;
        try
        {
            stamp = Stamp(_path);
        }
        catch (IOException)
        {
            stamp = default;
        }
        if (stamp != _current.Stamp) Reload(logger);
    }

    private void Reload(ILogger? logger)
    {
        lock (_gate)
        {
            try
            {
                var stamp = Stamp(_path!);
                var keys = NodeJwks.Parse(File.ReadAllText(_path!));
                var before = string.Join(", ", _current.Keys.Select(k => k.KeyId));
                _current = new Snapshot(keys, stamp);
                ReloadProblem = null;
                var after = string.Join(", ", keys.Select(k => k.KeyId));
                if (before != after)
                    logger?.LogInformation("Token keys reloaded from {Path}: {KeyIds} (were {Previous})", _path, after, before);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                // A half-rotated or broken file must not stop a running service: keep the keys it had, say why, and
                // remember the file's stamp so that the next change (the fix) is read again.
                ReloadProblem = $"{_path}: {ex.Message}";
                _current = _current with { Stamp = SafeStamp(_path!) };
                logger?.LogError("Token keys not reloaded, the previous ones stay in use: {Problem}", ReloadProblem);
            }
        }
    }

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : throw new FileNotFoundException($"{path} not found", path);
    }

    private static (DateTime, long) SafeStamp(string path)
    {
        try
        {
            return Stamp(path);
        }
        catch (IOException)
        {
            return default;
        }
    }
}
