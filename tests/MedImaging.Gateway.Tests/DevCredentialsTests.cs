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
    // The hebei tier file's first institution; the adapters map is pointed at its second, so that the two differ.
    private const string FirstInstitution = "121300004017055782";
    private const string AdapterInstitution = "12130000401705668N";

    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync(editNode: n =>
        n["adapters"]![DevCredentials.AdapterClientId]!["institution"] = AdapterInstitution);

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
        Assert.Equal(DevCredentials.UserRoles.Select(r => $"dev-{r}").Append(DevCredentials.HospitalCataloguer).Order(StringComparer.Ordinal), users.Keys.Order(StringComparer.Ordinal));
        var clients = credentials.GetProperty("clients").EnumerateArray().ToDictionary(c => c.GetProperty("clientId").GetString()!, c => c.GetProperty("clientSecret").GetString()!);
        Assert.Equal([DevCredentials.AdapterClientId, DevCredentials.PeerNodeClientId], clients.Keys.Order(StringComparer.Ordinal));

        // The file shows each account's clearance and institution: node-wide users by role, the hospital-bound ones.
        var scopes = credentials.GetProperty("users").EnumerateArray().Concat(credentials.GetProperty("clients").EnumerateArray())
            .ToDictionary(a => (a.TryGetProperty("userName", out var n) ? n : a.GetProperty("clientId")).GetString()!,
                a => (a.GetProperty("clearance").GetString(), a.GetProperty("institution").GetString()));
        Assert.Equal((SecurityLevels.Confidential, null), scopes["dev-admin"]);
        Assert.Equal((SecurityLevels.Confidential, null), scopes["dev-regulator"]);
        Assert.Equal((SecurityLevels.Restricted, null), scopes["dev-reviewer"]);
        Assert.Equal((SecurityLevels.Restricted, null), scopes["dev-publisher"]);
        Assert.Equal((SecurityLevels.Internal, null), scopes["dev-cataloguer"]);
        Assert.Equal((SecurityLevels.Internal, null), scopes["dev-researcher"]);
        Assert.Equal((SecurityLevels.Public, null), scopes["dev-public"]);
        Assert.Equal((SecurityLevels.Internal, FirstInstitution), scopes[DevCredentials.HospitalCataloguer]);
        Assert.Equal((SecurityLevels.Internal, AdapterInstitution), scopes[DevCredentials.AdapterClientId]);
        Assert.Equal((SecurityLevels.Restricted, null), scopes[DevCredentials.PeerNodeClientId]);
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
        Assert.Equal(SecurityLevels.Restricted, reviewer.FindFirst(ScopeClaims.Clearance)?.Value);
        var hospital = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await node.PostAsync("/connect/token", Form(("grant_type", "password"), ("client_id", "portal"), ("username", DevCredentials.HospitalCataloguer), ("password", users[DevCredentials.HospitalCataloguer])))),
            _node.SigningKeyPath, new Uri(_node.Node["endpoints"]!["gateway"]!.GetValue<string>()));
        Assert.Equal([Roles.Cataloguer], hospital.Roles());
        Assert.Equal((SecurityLevels.Internal, FirstInstitution), (hospital.FindFirst(ScopeClaims.Clearance)?.Value, hospital.FindFirst(ScopeClaims.Institution)?.Value));
        var peer = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await node.PostAsync("/connect/token", Form(("grant_type", "client_credentials"), ("client_id", DevCredentials.PeerNodeClientId), ("client_secret", clients[DevCredentials.PeerNodeClientId])))),
            _node.SigningKeyPath, new Uri(_node.Node["endpoints"]!["gateway"]!.GetValue<string>()));
        Assert.Equal([Roles.Node], peer.Roles());
        Assert.Equal(SecurityLevels.Restricted, peer.FindFirst(ScopeClaims.Clearance)?.Value);
        var adapter = await NodeTokens.ValidateAsync(
            await GatewayTestNode.AccessTokenAsync(await node.PostAsync("/connect/token", Form(("grant_type", "client_credentials"), ("client_id", DevCredentials.AdapterClientId), ("client_secret", clients[DevCredentials.AdapterClientId])))),
            _node.SigningKeyPath, new Uri(_node.Node["endpoints"]!["gateway"]!.GetValue<string>()));
        Assert.Equal((SecurityLevels.Internal, AdapterInstitution), (adapter.FindFirst(ScopeClaims.Clearance)?.Value, adapter.FindFirst(ScopeClaims.Institution)?.Value));
    }

    [Fact]
    public async Task WithoutInstitutionsInTheNodeFileNoHospitalUserIsSeededAndTheAdapterIsNodeWide()
    {
        await using var bare = await NodeTestEnvironment.CreateAsync(editNode: n => { n.Remove("institutions"); n.Remove("adapters"); });
        var file = Path.Combine(bare.Directory, "dev-credentials.json");

        var (code, output) = await RunGatewayAsync(bare, DevCredentials.Flag, file);

        Assert.True(code == 0, output);
        var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
        Assert.DoesNotContain(credentials.GetProperty("users").EnumerateArray(), u => u.GetProperty("userName").GetString() == DevCredentials.HospitalCataloguer);
        var adapter = credentials.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == DevCredentials.AdapterClientId);
        Assert.Equal(SecurityLevels.Internal, adapter.GetProperty("clearance").GetString());
        Assert.Equal(JsonValueKind.Null, adapter.GetProperty("institution").ValueKind);
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

    private Task<(int Code, string Output)> RunGatewayAsync(params string[] args) => RunGatewayAsync(_node, args);

    private static async Task<(int Code, string Output)> RunGatewayAsync(NodeTestEnvironment environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MedImaging.Gateway.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment.SettingsFor("gateway"))
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
