using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace MedImaging.Directory.Federation;

/// <summary>
/// This node's access token at a child's gateway, by client credentials as the peer-node client registered there,
/// cached until shortly before it expires. A child whose token cannot be had is reported as failed, never as empty.
/// </summary>
public sealed class PeerTokens(IHttpClientFactory clients, IOptionsMonitor<FanOutOptions> options)
{
    public const string HttpClientName = "directory-fan-out";
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> _cache = new(StringComparer.Ordinal);

    private sealed record TokenAnswer([property: JsonPropertyName("access_token")] string? AccessToken, [property: JsonPropertyName("expires_in")] int? ExpiresIn);

    public async Task<string> GetAsync(string peer, CancellationToken ct)
    {
        if (_cache.TryGetValue(peer, out var cached) && DateTimeOffset.UtcNow < cached.RenewAt) return cached.Token;
        var p = Peer(peer);
        var secret = p.ClientSecret ?? (p.ClientSecretPath is { Length: > 0 } path ? (await File.ReadAllTextAsync(path, ct)).Trim() : null)
            ?? throw new PeerUnavailableException($"no client secret configured for node '{peer}' ({FanOutOptions.Section}:Peers:{peer}:ClientSecret)");
        using var http = clients.CreateClient(HttpClientName);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = p.ClientId!, ["client_secret"] = secret,
        });
        using var response = await http.PostAsync(new Uri(p.Gateway!, "connect/token"), form, ct);
        if (!response.IsSuccessStatusCode) throw new PeerUnavailableException($"its gateway refused this node's client '{p.ClientId}' (HTTP {(int)response.StatusCode})");
        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(ct);
        if (answer?.AccessToken is not { Length: > 0 } token) throw new PeerUnavailableException("its gateway answered no access token");
        var lifetime = TimeSpan.FromSeconds(Math.Max(60, answer.ExpiresIn ?? 300));
        _cache[peer] = (token, DateTimeOffset.UtcNow + lifetime / 2);
        return token;
    }

    public PeerOptions Peer(string peer) =>
        options.CurrentValue.Peers.TryGetValue(peer, out var p) && p.Gateway is not null && !string.IsNullOrWhiteSpace(p.ClientId)
            ? p : throw new PeerUnavailableException($"{FanOutOptions.Section}:Peers:{peer} (Gateway, ClientId) is not configured");
}

/// <summary>A child that cannot be asked (not configured, token refused): reported as failed, with this message.</summary>
public sealed class PeerUnavailableException(string message) : Exception(message);
