using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// Publishes the node's public token keys — current, next (during a rotation) and previous (until the tokens it signed
/// have expired) — as the JWKS file services validate with (Auth:PublicKeysPath: written at start and by the one-shot
/// <c>--publish-keys</c>, which deploy/local/up.sh runs before starting the services) and in OpenIddict's
/// /.well-known/jwks. See docs/adr/0003-token-validation-in-every-service.md.
/// </summary>
public static class KeyPublication
{
    public const string Flag = "--publish-keys";

    /// <summary>Writes the JWKS file when Auth:PublicKeysPath is set; the path written, or null.</summary>
    public static string? Publish(ServiceHostContext host, IConfiguration configuration)
    {
        if (host.SigningKeys is not { } keys || configuration[NodeSigningKey.PublicKeysConfigurationKey] is not { Length: > 0 } path)
            return null;
        NodeJwks.Write(path, keys.Published);
        return path;
    }

    /// <summary><c>--publish-keys</c>: writes the file and exits; one line on stderr when it cannot.</summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        var host = app.Services.GetRequiredService<ServiceHostContext>();
        if (host.Problem is not null)
        {
            await Console.Error.WriteLineAsync($"{host.ServiceName}: cannot publish keys: {host.Problem}");
            return ServiceHostExtensions.ConfigurationError;
        }
        try
        {
            if (Publish(host, app.Configuration) is not { } path)
            {
                await Console.Error.WriteLineAsync($"{host.ServiceName}: cannot publish keys: {NodeSigningKey.PublicKeysConfigurationKey} is not set (environment variable Auth__PublicKeysPath).");
                return ServiceHostExtensions.ConfigurationError;
            }
            await Console.Out.WriteLineAsync($"{host.ServiceName}: published the node's public keys to {path}: {Describe(host.SigningKeys!)}");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"{host.ServiceName}: cannot publish keys: {ex.Message}");
            return ServiceHostExtensions.ConfigurationError;
        }
    }

    public static string Describe(NodeSigningKeys keys) =>
        $"current {keys.Current.KeyId}" + (keys.Next is { } n ? $", next {n.KeyId}" : "") + (keys.Previous is { } p ? $", previous {p.KeyId}" : "");

    /// <summary>Adds the next and previous keys to OpenIddict's JWKS document, after the signing key it lists itself.</summary>
    internal static OpenIddictServerHandlerDescriptor JwksHandler(NodeSigningKeys keys)
    {
        var extra = new[] { keys.Next, keys.Previous }.OfType<RsaSecurityKey>().Select(NodeSigningKey.PublicOf)
            .Where(k => k.KeyId != keys.Current.KeyId).DistinctBy(k => k.KeyId).ToList();
        return OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
            .UseInlineHandler(context =>
            {
                foreach (var key in extra.Where(k => context.Keys.All(listed => listed.Kid != k.KeyId)))
                    context.Keys.Add(new JsonWebKey
                    {
                        Kty = JsonWebAlgorithmsKeyTypes.RSA, Use = JsonWebKeyUseNames.Sig, Alg = SecurityAlgorithms.RsaSha256, Kid = key.KeyId,
                        N = Base64UrlEncoder.Encode(key.Parameters.Modulus), E = Base64UrlEncoder.Encode(key.Parameters.Exponent),
                    });
                return ValueTask.CompletedTask;
            })
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();
    }
}

/// <summary>Writes the JWKS file when the gateway starts, so the file always matches the keys it runs with.</summary>
internal sealed class KeyPublisher(ServiceHostContext host, IConfiguration configuration, ILogger<KeyPublisher> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (KeyPublication.Publish(host, configuration) is { } path)
            logger.LogInformation("Published the node's public keys to {Path}: {Keys}", path, KeyPublication.Describe(host.SigningKeys!));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
