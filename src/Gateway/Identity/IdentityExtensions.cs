using System.Security.Cryptography;
using MedImaging.Gateway.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Identity;
using StackExchange.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// The node's OpenID Connect token server (OpenIddict): tokens signed with the node key that every service validates
/// with, issuer = the node's gateway URL, audience medcat-api, roles in the access token. See docs/adr/0004-token-server.md.
/// </summary>
internal static class IdentityExtensions
{
    public const string LoginScheme = "gateway-login";
    public const string TokenPath = "/connect/token";
    public const string AuthorizePath = "/connect/authorize";
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    public static WebApplicationBuilder AddGatewayIdentity(this WebApplicationBuilder builder, ServiceHostContext host)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IPasswordHasher<GatewayUser>, PasswordHasher<GatewayUser>>();
        builder.Services.AddScoped<UserDirectory>();
        builder.Services.AddScoped<GatewayAudit>();
        builder.Services.AddOptions<SignInSettings>().BindConfiguration(SignInSettings.Section)
            .Validate(s => s.IsValid, $"{SignInSettings.Section}: MaxFailures and LockoutMinutes must be positive, MaxLockoutMinutes ≥ LockoutMinutes, 0 ≤ BackoffSeconds ≤ MaxBackoffSeconds.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SignInThrottle>();
        // Cookie and antiforgery keys in Redis: a sign-in cookie issued by one gateway instance is read by every other.
        builder.Services.AddDataProtection().SetApplicationName($"medcat-gateway-{host.Node?.NodeId}");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, services) =>
            o.XmlRepository = new RedisXmlRepository(() => services.GetRequiredService<IConnectionMultiplexer>().GetDatabase(),
                GatewayRedis.Key(host.Node, "data-protection-keys")));
        builder.Services.AddAntiforgery();
        builder.Services.AddAuthentication().AddCookie(LoginScheme, o =>
        {
            o.LoginPath = LoginPath;
            o.Cookie.Name = "medcat.gateway.login";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });

        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<GatewayDbContext>())
            .AddServer(o =>
            {
                o.SetTokenEndpointUris(TokenPath.TrimStart('/'))
                 .SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'));
                o.AllowClientCredentialsFlow()
                 .AllowPasswordFlow()
                 .AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                 .AllowRefreshTokenFlow();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess);
                o.RegisterClaims(Claims.Subject, Claims.Name, Claims.Role, ScopeClaims.Clearance, ScopeClaims.Node, ScopeClaims.Institution, ScopeClaims.ClientId);
                o.AddEventHandler(ClientRefusalAudit.Descriptor);
                // Services validate plain signed JWTs with the node key (ServiceDefaults AddTokenValidation).
                o.DisableAccessTokenEncryption();

                if (host is { Node: { } node, SigningKeys: { } keys })
                {
                    o.SetIssuer(node.GatewayUrl);
                    // Only the current key signs (it keeps the KeyId NodeSigningKey derived, the kid services look up);
                    // the next and previous keys are published in /.well-known/jwks beside it (KeyPublication).
                    o.AddSigningKey(keys.Current);
                    o.AddEncryptionKey(DeriveEncryptionKey(keys.Current));
                    o.AddEventHandler(KeyPublication.JwksHandler(keys));
                }
                else
                {
                    // Configuration is invalid: RunServiceAsync refuses to run with the reason, these are never used.
                    o.AddEphemeralSigningKey().AddEphemeralEncryptionKey();
                }

                o.UseAspNetCore()
                 .EnableTokenEndpointPassthrough()
                 .EnableAuthorizationEndpointPassthrough()
                 // Loopback development and tests run plain HTTP; production terminates TLS in front (ADR 0004).
                 .DisableTransportSecurityRequirement();
            });
        return builder;
    }

    /// <summary>
    /// The key for OpenIddict's own encrypted artefacts (authorization codes, refresh tokens). Derived from the node
    /// signing key with HKDF so that it survives restarts and is the same on every replica, without a second secret.
    /// Promoting the next key therefore invalidates outstanding codes and refresh tokens (ADR 0004: users sign in again).
    /// </summary>
    internal static SymmetricSecurityKey DeriveEncryptionKey(RsaSecurityKey signingKey)
    {
        var rsa = signingKey.Rsa ?? throw new InvalidOperationException("The node signing key has no RSA private key.");
        var secret = rsa.ExportParameters(includePrivateParameters: true).D!;
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: "medcat-gateway/openiddict-encryption/v1"u8.ToArray());
        CryptographicOperations.ZeroMemory(secret);
        return new SymmetricSecurityKey(key) { KeyId = "enc-" + signingKey.KeyId };
    }
}
