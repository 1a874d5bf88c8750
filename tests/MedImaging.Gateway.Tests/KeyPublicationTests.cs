using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MedImaging.Gateway.Tests;

/// <summary>
/// The gateway alone holds the node's private keys and publishes their public halves (ADR 0003): current and next during
/// a rotation, current and previous after it, in the JWKS file services read and in /.well-known/jwks; it signs with the
/// current key only. <c>--publish-keys</c> and <c>--seed-service-clients</c> run as deploy/local/up.sh runs them.
/// </summary>
public sealed class KeyPublicationTests : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("medcat-keys-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_keys, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DuringARotationTheGatewayPublishesCurrentAndNextButSignsWithTheCurrent()
    {
        var next = NewKey("next.pem");
        await using var gw = await GatewayTestNode.StartAsync(settings: new Dictionary<string, string?> { [NodeSigningKey.NextConfigurationKey] = next });
        var current = NodeSigningKey.Load(gw.Node.SigningKeyPath).KeyId;
        var nextKid = NodeSigningKey.Load(next).KeyId;

        Assert.Equal([current, nextKid], await WellKnownKidsAsync(gw));
        // The file services read was written at start with the same two keys, public halves only.
        var published = NodeJwks.Parse(await File.ReadAllTextAsync(gw.Node.PublicKeysPath));
        Assert.Equal([current, nextKid], published.Select(k => k.KeyId));
        Assert.DoesNotContain("\"d\"", await File.ReadAllTextAsync(gw.Node.PublicKeysPath), StringComparison.Ordinal);

        await GatewaySeeder.EnsureClientAsync(gw.Services, "rotation-client", "rotation-secret-0123456789", Roles.Adapter);
        var token = await GatewayTestNode.AccessTokenAsync(await gw.ClientCredentialsAsync("rotation-client", "rotation-secret-0123456789"));
        Assert.Equal(current, new JsonWebToken(token).Kid);
    }

    [Fact]
    public async Task AfterPromotionTheNewKeySignsAndThePreviousStaysPublished()
    {
        var promoted = NewKey("promoted.pem");
        var old = Path.Combine(_keys, "previous.pub.pem");
        await using var node = await NodeTestEnvironment.CreateAsync();
        // The node's first key becomes the previous one: only its public half is kept.
        using (var rsa = RSA.Create())
        {
            rsa.ImportFromPem(await File.ReadAllTextAsync(node.SigningKeyPath));
            await File.WriteAllTextAsync(old, rsa.ExportSubjectPublicKeyInfoPem());
        }
        await using var restarted = new ServiceFactory<GatewayMarker>(node, new Dictionary<string, string?>
        {
            [NodeSigningKey.ConfigurationKey] = promoted, [NodeSigningKey.PreviousConfigurationKey] = old,
        });
        restarted.CreateClient().Dispose();
        var promotedKid = NodeSigningKey.Load(promoted).KeyId;
        var previousKid = NodeSigningKey.Load(old).KeyId;

        using var client = restarted.CreateClient();
        var jwks = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks")).RootElement;
        Assert.Equal([promotedKid, previousKid], jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal([promotedKid, previousKid], NodeJwks.Parse(await File.ReadAllTextAsync(node.PublicKeysPath)).Select(k => k.KeyId));

        await GatewaySeeder.EnsureClientAsync(restarted.Services, "rotation-client", "rotation-secret-0123456789", Roles.Adapter);
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "rotation-client", ["client_secret"] = "rotation-secret-0123456789",
        }));
        Assert.Equal(promotedKid, new JsonWebToken(await GatewayTestNode.AccessTokenAsync(response)).Kid);
    }

    [Fact]
    public async Task PublishKeysWritesTheJwksAndExits()
    {
        await using var node = await NodeTestEnvironment.CreateAsync();
        var next = NewKey("next.pem");
        var target = Path.Combine(_keys, "published", "jwks.json");
        var (code, output) = await RunGatewayAsync(node, new() { ["Auth__PublicKeysPath"] = target, ["Auth__NextSigningKeyPath"] = next }, KeyPublication.Flag);
        Assert.True(code == 0, output);
        var kids = NodeJwks.Parse(await File.ReadAllTextAsync(target)).Select(k => k.KeyId).ToList();
        Assert.Equal([NodeSigningKey.Load(node.SigningKeyPath).KeyId, NodeSigningKey.Load(next).KeyId], kids);
        Assert.Contains(target, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadNextKeyStopsTheGatewayWithOneLine()
    {
        await using var node = await NodeTestEnvironment.CreateAsync();
        var broken = Path.Combine(_keys, "broken.pem");
        await File.WriteAllTextAsync(broken, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        var (code, output) = await RunGatewayAsync(node, new() { ["Auth__NextSigningKeyPath"] = broken }, KeyPublication.Flag);
        Assert.Equal(2, code);
        Assert.Contains($"Auth:NextSigningKeyPath: {broken} is not a PEM RSA private key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedServiceClientsWritesTheSecretOnceAndItGetsRegistrationItsToken()
    {
        var directory = Path.Combine(_keys, "service-clients");
        await using var gw = await GatewayTestNode.StartAsync();
        var (code, output) = await RunGatewayAsync(gw.Node, [], ServiceClients.Flag, directory);
        Assert.True(code == 0, output);
        var file = Path.Combine(directory, "registration.secret");
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var secret = (await File.ReadAllTextAsync(file)).Trim();

        (code, output) = await RunGatewayAsync(gw.Node, [], ServiceClients.Flag, directory);
        Assert.True(code == 0, output);
        Assert.Equal(secret, (await File.ReadAllTextAsync(file)).Trim());

        var token = new JsonWebToken(await GatewayTestNode.AccessTokenAsync(await gw.ClientCredentialsAsync(ServiceClients.RegistrationClientId, secret)));
        Assert.Equal(ServiceClients.RegistrationClientId, token.Subject);
        Assert.Equal([Roles.Adapter], token.Claims.Where(c => c.Type == "role").Select(c => c.Value));
    }

    [Fact]
    public async Task SeedServiceClientsGivesDirectoryANodeWideConfidentialNodeClient()
    {
        var directory = Path.Combine(_keys, "service-clients-directory");
        await using var gw = await GatewayTestNode.StartAsync();
        var (code, output) = await RunGatewayAsync(gw.Node, [], ServiceClients.Flag, directory);
        Assert.True(code == 0, output);
        var file = Path.Combine(directory, "directory.secret");
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        // What Directory's rebuild needs of Registration's feed (ADR 0024): the node role, the whole catalogue, no institution.
        var token = new JsonWebToken(await GatewayTestNode.AccessTokenAsync(await gw.ClientCredentialsAsync(ServiceClients.DirectoryClientId, (await File.ReadAllTextAsync(file)).Trim())));
        Assert.Equal(ServiceClients.DirectoryClientId, token.Subject);
        Assert.Equal([Roles.Node], token.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(SecurityLevels.Confidential, token.GetClaim(ScopeClaims.Clearance).Value);
        Assert.False(token.TryGetClaim(ScopeClaims.Institution, out _));
    }

    private string NewKey(string name)
    {
        var path = Path.Combine(_keys, name);
        NodeSigningKey.EnsureExists(path);
        return path;
    }

    private static async Task<List<string?>> WellKnownKidsAsync(GatewayTestNode gw)
    {
        using var client = gw.CreateClient();
        var jwks = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks")).RootElement;
        return [.. jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString())];
    }

    private static async Task<(int Code, string Output)> RunGatewayAsync(NodeTestEnvironment node, Dictionary<string, string?> changes, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MedImaging.Gateway.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in node.GatewaySettings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        foreach (var (key, value) in changes) start.Environment[key] = value;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
