using System.Diagnostics;
using System.Text.Json;
using MedImaging.Gateway.Identity;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Gateway.Tests;

/// <summary>The real gateway executable with <c>--seed-dev-credentials</c>, as deploy/local scripts run it.</summary>
public sealed class DevCredentialsTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task SeedingWritesUsableCredentialsOnceAndASecondRunChangesNothing()
    {
        var file = Path.Combine(_node.Directory, "dev-credentials.json");

        var (code, output) = await RunGatewayAsync(DevCredentials.Flag, file);
        Assert.True(code == 0, output);
        var written = await File.ReadAllTextAsync(file);
        Assert.Contains(written.Trim(), output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var credentials = JsonDocument.Parse(written).RootElement;
        var users = credentials.GetProperty("users").EnumerateArray().ToDictionary(u => u.GetProperty("userName").GetString()!, u => u.GetProperty("password").GetString()!);
        Assert.Equal(DevCredentials.UserRoles.Select(r => $"dev-{r}").Order(StringComparer.Ordinal), users.Keys.Order(StringComparer.Ordinal));
        var clients = credentials.GetProperty("clients").EnumerateArray().ToDictionary(c => c.GetProperty("clientId").GetString()!, c => c.GetProperty("clientSecret").GetString()!);
        Assert.Equal([DevCredentials.AdapterClientId, DevCredentials.PeerNodeClientId], clients.Keys.Order(StringComparer.Ordinal));
        Assert.All(users.Values.Concat(clients.Values), secret => Assert.True(secret.Length >= 24, "secret too short"));

        var before = await SnapshotAsync();
        (code, output) = await RunGatewayAsync(DevCredentials.Flag, file);
        Assert.True(code == 0, output);
        Assert.Equal(written, await File.ReadAllTextAsync(file));
        Assert.Contains(written.Trim(), output, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());

        // The written secrets work against a gateway of the same node.
        await using var gateway = new ServiceFactory<GatewayMarker>(_node);
        gateway.CreateClient().Dispose();
        using var node = gateway.CreateClient();
        var reviewer = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await node.PostAsync("/connect/token", Form(("grant_type", "password"), ("client_id", "portal"), ("username", "dev-reviewer"), ("password", users["dev-reviewer"])))),
            _node.SigningKeyPath, new Uri(_node.Node["endpoints"]!["gateway"]!.GetValue<string>()));
        Assert.Equal([Roles.Reviewer], reviewer.Roles());
        var peer = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await node.PostAsync("/connect/token", Form(("grant_type", "client_credentials"), ("client_id", DevCredentials.PeerNodeClientId), ("client_secret", clients[DevCredentials.PeerNodeClientId])))),
            _node.SigningKeyPath, new Uri(_node.Node["endpoints"]!["gateway"]!.GetValue<string>()));
        Assert.Equal([Roles.Node], peer.Roles());
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    // Every stored secret and role: a second run that rewrote any of them would show here.
    private async Task<string> SnapshotAsync()
    {
        await using var conn = new NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT string_agg(x, E'\n' ORDER BY x) FROM (
              SELECT user_name || ' ' || password_hash || ' ' || array_to_string(roles, ',') AS x FROM gateway.users
              UNION ALL
              SELECT client_id || ' ' || coalesce(client_secret, '') || ' ' || coalesce(properties, '') || ' ' || coalesce(concurrency_token, '') FROM gateway.openiddict_applications
            ) s
            """, conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<(int Code, string Output)> RunGatewayAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MedImaging.Gateway.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in _node.SettingsFor("gateway"))
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
