using System.Security.Claims;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.TestSupport;

/// <summary>
/// Access tokens signed with the test node's key, shaped as the gateway's token server issues them. For service tests
/// whose subject is not authentication; the gateway's own tests and the platform's 401/403 test use the real token
/// server instead.
/// </summary>
public static class TestTokens
{
    public static string Create(NodeTestEnvironment node, string user, params string[] roles)
    {
        var issuer = new Uri(node.Node["endpoints"]!["gateway"]!.GetValue<string>()).AbsoluteUri;
        var claims = new List<Claim> { new("sub", user), new("name", user) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = NodeSigningKey.Audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddMinutes(30),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(NodeSigningKey.Load(node.SigningKeyPath), SecurityAlgorithms.RsaSha256),
        });
    }

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
