using System.Net;
using System.Security.Claims;
using MedImaging.Metadata;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.Platform.Tests;

/// <summary>
/// A key rotation needs no restart (ADR 0003): a running service reads the node's JWKS file again when it changes, so a
/// token signed by a newly published key validates, and one signed by a key no longer published is refused.
/// </summary>
public sealed class KeyRotationTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;
    private RsaSecurityKey _current = null!;
    private RsaSecurityKey _next = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeTestEnvironment.CreateAsync("zhengding");
        _current = NodeSigningKey.Load(_node.SigningKeyPath);
        var nextPath = Path.Combine(_node.Directory, "next.pem");
        NodeSigningKey.EnsureExists(nextPath);
        _next = NodeSigningKey.Load(nextPath);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ATokenSignedByTheNextKeyValidatesOnceTheJwksListsItWithoutARestart()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        using var byNext = metadata.CreateClient().WithToken(Token(_next));
        using var byCurrent = metadata.CreateClient().WithToken(Token(_current));

        var before = await byNext.GetAsync("/sets");
        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);

        NodeJwks.Write(_node.PublicKeysPath, [_current, _next]);
        Assert.Equal(HttpStatusCode.OK, (await byNext.GetAsync("/sets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await byCurrent.GetAsync("/sets")).StatusCode);
    }

    [Fact]
    public async Task ATokenSignedByAKeyNoLongerPublishedIsRefused()
    {
        NodeJwks.Write(_node.PublicKeysPath, [_current, _next]);
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        using var byOld = metadata.CreateClient().WithToken(Token(_current));
        using var byNew = metadata.CreateClient().WithToken(Token(_next));
        Assert.Equal(HttpStatusCode.OK, (await byOld.GetAsync("/sets")).StatusCode);

        // The next key was promoted and the old one's tokens have expired: the gateway publishes the new key alone.
        NodeJwks.Write(_node.PublicKeysPath, [_next]);
        var refused = await byOld.GetAsync("/sets");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("invalid_signature", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await byNew.GetAsync("/sets")).StatusCode);
    }

    [Fact]
    public async Task ABrokenJwksWrittenWhileRunningKeepsThePreviousKeysInUse()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        using var client = metadata.CreateClient().WithToken(Token(_current));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sets")).StatusCode);

        await File.WriteAllTextAsync(_node.PublicKeysPath, "{\"keys\": [ half a file");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sets")).StatusCode);
        var host = (MedImaging.ServiceDefaults.Hosting.ServiceHostContext)metadata.Services.GetService(typeof(MedImaging.ServiceDefaults.Hosting.ServiceHostContext))!;
        Assert.Contains(_node.PublicKeysPath, host.TokenKeys!.ReloadProblem, StringComparison.Ordinal);
    }

    // As the gateway would sign with this key (the test holds the private halves; the service never does).
    private string Token(RsaSecurityKey key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = new Uri(_node.Node["endpoints"]!["gateway"]!.GetValue<string>()).AbsoluteUri,
        Audience = NodeSigningKey.Audience,
        Subject = new ClaimsIdentity([new Claim("sub", "rotation"), new Claim("role", Roles.Admin)]),
        Expires = DateTime.UtcNow.AddMinutes(30),
        TokenType = "at+jwt",
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });
}
