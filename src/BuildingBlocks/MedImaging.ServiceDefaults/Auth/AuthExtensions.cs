using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.ServiceDefaults.Auth;

internal static class AuthExtensions
{
    /// <summary>
    /// Every service validates the node gateway's access tokens itself: signature with one of the node's published public
    /// keys (current, next or previous, re-read when the JWKS file changes), issuer = the node's gateway, audience,
    /// lifetime, and type at+jwt (an id token, typ JWT, is not an access token).
    /// </summary>
    public static IHostApplicationBuilder AddTokenValidation(this IHostApplicationBuilder builder, ServiceHostContext host)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.RequireHttpsMetadata = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = host.Node?.GatewayUrl.AbsoluteUri,
                    ValidAudience = NodeSigningKey.Audience,
                    ValidTypes = ["at+jwt"],
                    RoleClaimType = "role",
                    NameClaimType = "name",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                options.Events = new JwtBearerEvents { OnChallenge = AuthProblems.ChallengeAsync };
            });
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<ILoggerFactory>((options, loggers) =>
        {
            var logger = loggers.CreateLogger(typeof(NodeKeySet).FullName!);
            // No key set means invalid configuration: the host refuses to run, and meanwhile no token validates.
            options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, kid, _) => host.TokenKeys?.Resolve(kid, logger) ?? [];
        });
        builder.Services.AddAuthorization(Policies.Configure);
        // 403 with the policy and roles it wants, instead of an empty body.
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return builder;
    }
}
