using System.Text.Json;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// Registration's own access token for the Metadata calls no caller's token covers (a consumed event, ingest's
/// classification): obtained by client credentials from the node gateway's /connect/token as the service client
/// <c>svc-registration</c> (Auth:ClientId, Auth:ClientSecret or Auth:ClientSecretPath), cached until shortly before it
/// expires. Registration holds no signing key (ADR 0003). A token that cannot be had makes the Metadata service
/// unavailable to the caller, as a Metadata outage would (<see cref="MetadataUnavailableException"/>).
/// </summary>
public sealed class ServiceToken(IHttpClientFactory clients, ServiceHostContext host, IConfiguration configuration, TimeProvider clock, ILogger<ServiceToken> logger) : IDisposable
{
    public const string HttpClientName = "service-token";
    public const string ClientIdKey = "Auth:ClientId";
    public const string ClientSecretKey = "Auth:ClientSecret";
    public const string ClientSecretPathKey = "Auth:ClientSecretPath";

    // Renewed this long before it expires (or at half its lifetime when that is shorter), so a request never carries a
    // token that expires on its way.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _cached;

    public void Dispose() => _gate.Dispose();

    /// <summary>The line that stops the host when the client credentials are not configured, or null.</summary>
    public static string? ConfigurationProblem(IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[ClientIdKey]))
            return $"{ClientIdKey} is not set (environment variable Auth__ClientId): Registration gets its token for Metadata from the gateway as a service client (svc-registration; the gateway's --seed-service-clients creates it).";
        if (string.IsNullOrWhiteSpace(configuration[ClientSecretKey]) && string.IsNullOrWhiteSpace(configuration[ClientSecretPathKey]))
            return $"Neither {ClientSecretKey} nor {ClientSecretPathKey} is set: the secret of service client {configuration[ClientIdKey]} is required.";
        if (configuration[ClientSecretPathKey] is { Length: > 0 } path && string.IsNullOrWhiteSpace(configuration[ClientSecretKey]) && !File.Exists(path))
            return $"{ClientSecretPathKey}: {path} not found.";
        return null;
    }

    public async Task<string> GetAsync(CancellationToken ct)
    {
        if (_cached is { } fresh && clock.GetUtcNow() < fresh.RenewAt) return fresh.Token;
        await _gate.WaitAsync(ct);
        try
        {
            if (_cached is { } cached && clock.GetUtcNow() < cached.RenewAt) return cached.Token;
            var (token, lifetime) = await RequestAsync(ct);
            var renewIn = lifetime - (lifetime / 2 < RenewBefore ? lifetime / 2 : RenewBefore);
            _cached = (token, clock.GetUtcNow() + renewIn);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(CancellationToken ct)
    {
        const string operation = "be asked (no service token)";
        var url = new Uri(host.RequiredNode.GatewayUrl, "connect/token");
        var clientId = configuration[ClientIdKey] ?? "";
        string secret;
        try
        {
            secret = configuration[ClientSecretKey] is { Length: > 0 } given ? given
                : (await File.ReadAllTextAsync(configuration[ClientSecretPathKey] ?? "", ct)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new MetadataUnavailableException(operation, $"the secret of service client '{clientId}' cannot be read ({ex.Message})", ex);
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        });
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).PostAsync(url, form, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new MetadataUnavailableException(operation, $"the gateway's token endpoint {url} is unreachable ({ex.Message})", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new MetadataUnavailableException(operation, $"the gateway's token endpoint {url} did not answer", ex);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(body).RootElement.Clone();
            }
            catch (JsonException)
            {
                json = default;
            }
            if (!response.IsSuccessStatusCode || json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("access_token", out var token))
            {
                var error = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var e)
                    ? $"{e.GetString()}: {(json.TryGetProperty("error_description", out var d) ? d.GetString() : "")}"
                    : $"{(int)response.StatusCode} {(body.Length > 200 ? body[..200] : body)}";
                throw new MetadataUnavailableException(operation, $"the gateway refused service client '{clientId}' at {url} ({error})");
            }
            var lifetime = json.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(5);
            logger.LogInformation("Service token for {ClientId} obtained from {TokenEndpoint}, valid for {Lifetime}", clientId, url, lifetime);
            return (token.GetString()!, lifetime);
        }
    }
}
