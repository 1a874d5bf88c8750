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
    /// <summary>A node-wide caller with clearance confidential (sees every entry of the node), as most service tests want.</summary>
    public static string Create(NodeTestEnvironment node, string user, params string[] roles)
        => CreateScoped(node, user, SecurityLevels.Confidential, institution: null, roles);

    /// <summary>A caller with the given clearance and, for hospital staff and adapters, institution (registry code).</summary>
    public static string CreateScoped(NodeTestEnvironment node, string user, string clearance, string? institution, params string[] roles)
    {
        var issuer = new Uri(node.Node["endpoints"]!["gateway"]!.GetValue<string>()).AbsoluteUri;
        var claims = new List<Claim>
        {
            new("sub", user), new("name", user), new(ScopeClaims.Clearance, clearance),
            // A client (adapter, peer node) is its own subject, as the gateway issues client-credentials tokens: the
            // acquisition log names adapters by client id.
            new(ScopeClaims.Node, node.Node["nodeId"]!.GetValue<string>()),
            new(ScopeClaims.ClientId, roles.Contains(Roles.Adapter) || roles.Contains(Roles.Node) ? user : "test"),
        };
        if (institution is not null) claims.Add(new Claim(ScopeClaims.Institution, institution));
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
