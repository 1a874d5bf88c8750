using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.ServiceDefaults.Auth;

internal static class AuthExtensions
{
    /// <summary>
    /// Every service validates the node gateway's access tokens itself: signature with the node key, issuer = the
    /// node's gateway, audience, lifetime, and type at+jwt (an id token is not an access token).
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
                    ValidTypes = ["at+jwt", "JWT"],
                    RoleClaimType = "role",
                    NameClaimType = "name",
                    ClockSkew = TimeSpan.FromSeconds(30),
                    IssuerSigningKey = host.SigningKey,
                };
                options.Events = new JwtBearerEvents { OnChallenge = AuthProblems.ChallengeAsync };
            });
        builder.Services.AddAuthorization(Policies.Configure);
        // 403 with the policy and roles it wants, instead of an empty body.
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return builder;
    }
}
