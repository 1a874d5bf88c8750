using System.Security.Claims;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// A short-lived access token for Registration's own calls to the Metadata service when no caller's token exists (a
/// consumed event). Signed with the node key the host already loads, shaped as the gateway's tokens; read-only role.
/// See docs/adr/0009-reclassification.md.
/// </summary>
public sealed class ServiceToken(ServiceHostContext host)
{
    public const string Subject = "registration";

    public string Create(string purpose)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = host.RequiredNode.GatewayUrl.AbsoluteUri,
            Audience = NodeSigningKey.Audience,
            // Cataloguer passes Metadata's read policy; it cannot edit the scheme or its mapping.
            Subject = new ClaimsIdentity([new Claim("sub", Subject), new Claim("name", $"{Subject} ({purpose})"), new Claim("role", Roles.Cataloguer)]),
            NotBefore = now,
            IssuedAt = now,
            Expires = now.AddMinutes(5),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(host.SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }
}
