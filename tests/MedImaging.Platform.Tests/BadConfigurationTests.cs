using System.Diagnostics;
using MedImaging.Metadata;
using MedImaging.TestSupport;

namespace MedImaging.Platform.Tests;

/// <summary>
/// A host started with bad configuration exits non-zero with one line on stderr naming what is wrong. These run the
/// real built service as a process, as an operator would.
/// </summary>
public sealed class BadConfigurationTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("shijiazhuang");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task MalformedTierFileNamesTheFileAndLine()
    {
        var file = Path.Combine(_node.Directory, "broken.json");
        await File.WriteAllTextAsync(file, "{ \"nodeId\": \"x\",\n  \"tier\": }");
        var (code, line) = await RunAsync(new() { ["Node__ConfigFile"] = file });
        Assert.Equal(2, code);
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains("line 2", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("administrativeCode", "\"13\"", "field administrativeCode")]
    [InlineData("oidRoot", "\"2.16.0156\"", "field oidRoot")]
    [InlineData("tier", "\"village\"", "field tier")]
    [InlineData("parent", "null", "field parent")]
    [InlineData("institutions", "[{\"code\": \"A1\", \"name\": {\"zh\": \"甲医院\", \"en\": \"A\"}, \"postcode\": \"0501\"}]", "field institutions[0].postcode")]
    [InlineData("institutions", "[{\"code\": \"A1\", \"name\": {\"zh\": \"甲\", \"en\": \"A\"}}, {\"code\": \"A1\", \"name\": {\"zh\": \"乙\", \"en\": \"B\"}}]", "field institutions[1].code")]
    [InlineData("adapters", "{\"dev-pacs-adapter\": {\"institution\": \"NO-SUCH-INSTITUTION\"}}", "field adapters.dev-pacs-adapter.institution")]
    [InlineData("adapters", "{\"dev-pacs-adapter\": {\"dicomWebBaseUrl\": \"pacs.local/dicom-web\"}}", "field adapters.dev-pacs-adapter.dicomWebBaseUrl")]
    [InlineData("ingest", "{\"maxRequestBytes\": 1000}", "field ingest.maxRequestBytes")]
    [InlineData("ingest", "{\"maxRequestBytes\": \"4G\"}", "field ingest.maxRequestBytes")]
    [InlineData("ingest", "null", "field ingest")]
    [InlineData("routing", "{\"up\": [{\"share\": \"maybe\"}]}", "field routing.up[0].share")]
    [InlineData("routing", "{\"down\": [{\"share\": \"none\", \"to\": [\"hebei\"]}]}", "field routing.down[0].to")]
    [InlineData("routing", "{\"up\": [{\"share\": \"unconditional\"}, {\"share\": \"conditional\", \"securityClassifications\": [\"secret\"]}]}", "field routing.up[1].securityClassifications")]
    [InlineData("routing", "{\"sideways\": [{\"share\": \"conditional\", \"classifications\": [\"3.x\"]}]}", "field routing.sideways[0].classifications")]
    public async Task InvalidTierFieldNamesTheField(string field, string value, string expected)
    {
        var node = _node.Node;
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var file = Path.Combine(_node.Directory, "invalid.json");
        await File.WriteAllTextAsync(file, node.ToJsonString());
        var (code, line) = await RunAsync(new() { ["Node__ConfigFile"] = file });
        Assert.Equal(2, code);
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingConnectionStringIsNamed()
    {
        var (code, line) = await RunAsync(new() { ["ConnectionStrings__Postgres"] = null });
        Assert.Equal(2, code);
        Assert.Contains("ConnectionStrings:Postgres is not set", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPublicKeysAreNamed()
    {
        var (code, line) = await RunAsync(new() { ["Auth__PublicKeysPath"] = null, ["Auth__SigningKeyPath"] = _node.SigningKeyPath });
        Assert.Equal(2, code);
        Assert.Contains("Auth:PublicKeysPath is not set", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingJwksFileIsNamed()
    {
        var file = Path.Combine(_node.Directory, "no-such-jwks.json");
        var (code, line) = await RunAsync(new() { ["Auth__PublicKeysPath"] = file });
        Assert.Equal(2, code);
        Assert.Contains($"Auth:PublicKeysPath: {file} not found", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"keys\": [", "not JSON")]
    [InlineData("{\"kid\": \"x\"}", "no \"keys\" array")]
    [InlineData("{\"keys\": [{\"kty\": \"EC\"}]}", "keys[0] is not an RSA key")]
    [InlineData("{\"keys\": []}", "empty")]
    public async Task AMalformedJwksNamesTheFileAndTheFault(string content, string expected)
    {
        var file = Path.Combine(_node.Directory, "bad-jwks.json");
        await File.WriteAllTextAsync(file, content);
        var (code, line) = await RunAsync(new() { ["Auth__PublicKeysPath"] = file });
        Assert.Equal(2, code);
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJwksHoldingAPrivateKeyIsRefused()
    {
        var jwks = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(_node.PublicKeysPath))!;
        jwks["keys"]![0]!["d"] = "c2VjcmV0";
        var file = Path.Combine(_node.Directory, "private-jwks.json");
        await File.WriteAllTextAsync(file, jwks.ToJsonString());
        var (code, line) = await RunAsync(new() { ["Auth__PublicKeysPath"] = file });
        Assert.Equal(2, code);
        Assert.Contains("private key material", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableBrokerStopsTheHostWithOneLine()
    {
        var (code, line) = await RunAsync(new() { ["ConnectionStrings__RabbitMq"] = "amqp://medcat:medcat-dev@127.0.0.1:1" });
        Assert.Equal(3, code);
        Assert.Contains("RabbitMQ amqp://127.0.0.1:1/", line, StringComparison.Ordinal);
        Assert.Contains("unreachable", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateFlagAppliesMigrationsAndExits()
    {
        var (code, _) = await RunAsync([]);
        Assert.Equal(0, code);
        // The step created Metadata's run-time role with the password of ConnectionStrings:Postgres, and granted it its tables.
        await using var conn = new Npgsql.NpgsqlConnection(_node.RunTimeConnectionString("metadata"));
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM metadata.metadata_sets", conn);
        Assert.IsType<long>(await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task MigratingAsAnotherRoleThanTheServicesOwnIsRefused()
    {
        // With the administrative string set, ConnectionStrings:Postgres must name the role the migration creates and grants.
        var (code, line) = await RunAsync(new() { ["ConnectionStrings__Postgres"] = _node.Servers.Postgres });
        Assert.Equal(2, code);
        Assert.Contains($"run-time database role is '{_node.Database}_metadata'", line, StringComparison.Ordinal);
    }

    /// <summary>Runs the Metadata host with the node's settings, changed as given (null removes a variable).</summary>
    private async Task<(int Code, string StderrLine)> RunAsync(Dictionary<string, string?> changes)
    {
        var dll = typeof(MetadataServiceMarker).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll, "--migrate"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in _node.SettingsFor("metadata")) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in changes)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0)
            Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{await stderr}\nstdout:\n{await stdout}");
        return (process.ExitCode, lines.FirstOrDefault() ?? "");
    }
}
