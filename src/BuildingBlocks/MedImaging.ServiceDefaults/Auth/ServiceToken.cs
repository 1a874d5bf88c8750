using System.Text.Json;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace MedImaging.ServiceDefaults.Auth;

/// <summary>
/// A service's own access token for the calls no caller's token covers (a consumed event, ingest's classification, the
/// directory's rebuild): obtained by client credentials from the node gateway's /connect/token as the service's client
/// (<c>svc-registration</c>, <c>svc-directory</c> …: Auth:ClientId, Auth:ClientSecret or Auth:ClientSecretPath), cached until
/// shortly before it expires. Services hold no signing key (ADR 0003). A token that cannot be had is thrown as
/// <see cref="ServiceTokenOptions.Unavailable"/> makes it, so each service reports it as its callee being unavailable.
/// </summary>
public sealed class ServiceToken(IHttpClientFactory clients, ServiceHostContext host, IConfiguration configuration, TimeProvider clock,
    ServiceTokenOptions options, ILogger<ServiceToken> logger) : IDisposable
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
    public static string? ConfigurationProblem(IConfiguration configuration, string service, string purpose)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[ClientIdKey]))
            return $"{ClientIdKey} is not set (environment variable Auth__ClientId): {service} gets its token for {purpose} from the gateway as a service client (svc-{service}; the gateway's --seed-service-clients creates it).";
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
            throw options.Unavailable($"the secret of service client '{clientId}' cannot be read ({ex.Message})", ex);
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
            throw options.Unavailable($"the gateway's token endpoint {url} is unreachable ({ex.Message})", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw options.Unavailable($"the gateway's token endpoint {url} did not answer", ex);
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
                throw options.Unavailable($"the gateway refused service client '{clientId}' at {url} ({error})", null);
            }
            var lifetime = json.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(5);
            logger.LogInformation("Service token for {ClientId} obtained from {TokenEndpoint}, valid for {Lifetime}", clientId, url, lifetime);
            return (token.GetString()!, lifetime);
        }
    }
}

/// <summary>How a service reports a token it cannot get: by default <see cref="ServiceTokenUnavailableException"/>.</summary>
public sealed class ServiceTokenOptions
{
    /// <summary>Builds the exception thrown when no token can be had (why, inner exception).</summary>
    public Func<string, Exception?, Exception> Unavailable { get; init; } = (why, inner) => new ServiceTokenUnavailableException(why, inner);
}

/// <summary>No service token could be had from the node's gateway (unreachable, refused, secret unreadable).</summary>
public sealed class ServiceTokenUnavailableException(string why, Exception? inner = null)
    : Exception($"No service token: {why}", inner);

public static class ServiceTokenExtensions
{
    /// <summary>
    /// The service's client-credentials token (<see cref="ServiceToken"/>) and its HTTP client. Missing credentials make the
    /// host refuse to start with one line, naming <paramref name="purpose"/>: never a silent fallback.
    /// </summary>
    public static WebApplicationBuilder AddServiceToken(this WebApplicationBuilder builder, string purpose, ServiceTokenOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(options ?? new ServiceTokenOptions());
        builder.Services.AddSingleton<ServiceToken>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(ServiceToken.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        var host = builder.Services.Select(d => d.ImplementationInstance).OfType<ServiceHostContext>().FirstOrDefault();
        if (host is not null && ServiceToken.ConfigurationProblem(builder.Configuration, host.ServiceName, purpose) is { } problem) host.Refuse(problem);
        return builder;
    }
}
