using System.Security.Claims;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.Gateway.Tests;

/// <summary>Validates a token the way every service of the node does (ServiceDefaults AddTokenValidation), independently of the gateway.</summary>
internal static class NodeTokens
{
    public static async Task<ClaimsIdentity> ValidateAsync(string token, string signingKeyPath, Uri gatewayUrl)
    {
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = gatewayUrl.AbsoluteUri,
            ValidAudience = NodeSigningKey.Audience,
            ValidTypes = ["at+jwt"],
            IssuerSigningKey = NodeSigningKey.Load(signingKeyPath),
            RoleClaimType = "role",
            NameClaimType = "name",
        });
        Assert.True(result.IsValid, $"the node key does not validate the token: {result.Exception?.Message}");
        return result.ClaimsIdentity;
    }

    public static string[] Roles(this ClaimsIdentity identity) => [.. identity.FindAll("role").Select(c => c.Value).Order(StringComparer.Ordinal)];
}
