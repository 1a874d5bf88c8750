using MedImaging.Cli.Push;

namespace MedImaging.Cli.Tests;

/// <summary>
/// <c>medcat push</c> through a real gateway in front of a real Registration host (both on Kestrel), with the node
/// file's ingest limit at its shipped value: a batch larger than Kestrel's 30,000,000-byte default is forwarded and
/// stored.
/// </summary>
public sealed class PushThroughGatewayTests : IAsyncLifetime
{
    private GatewayNode _node = null!;

    public async Task InitializeAsync() => _node = await GatewayNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ABatchLargerThanThirtyMillionBytesIsStoredThroughTheGateway()
    {
        using var folder = new TempFolder();
        var uids = LargeInstances.Write(folder.Path, "mr", count: 4, bytes: 9_000_000);
        Assert.True(Directory.GetFiles(folder.Path).Sum(f => new FileInfo(f).Length) > 30_000_000);

        var (exit, output) = await PushCommandRunner.RunAsync(folder.Path, _node.Url, _node.AdapterToken("pacs-big"), "--batch-bytes", "64M");

        Assert.True(exit == ExitCodes.Ok, output);
        Assert.Equal(uids.Count, await _node.Registration.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = ANY($1)", (object)uids.ToArray()));
        // One request carried them all: one acquisition batch of four stored instances.
        Assert.Equal(1, await _node.Registration.CountAsync("SELECT count(*) FROM registration.acquisition_batches WHERE adapter = 'pacs-big'"));
    }
}

/// <summary>A node whose file sets a small ingest limit (2,000,000 bytes): both its gateway and its Registration host enforce it.</summary>
public sealed class IngestLimitTests : IAsyncLifetime
{
    private GatewayNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await GatewayNode.StartAsync(node => node["ingest"] = new System.Text.Json.Nodes.JsonObject { ["maxRequestBytes"] = 2_000_000 });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ABatchOverTheGatewaysLimitIsReportedAs413WithItsOwnExitCode()
    {
        using var folder = new TempFolder();
        LargeInstances.Write(folder.Path, "ct", count: 3, bytes: 900_000);

        var (exit, output) = await PushCommandRunner.RunAsync(folder.Path, _node.Url, _node.AdapterToken("pacs-limit"), "--batch-bytes", "8M");

        Assert.True(exit == ExitCodes.TooLarge, output);
        Assert.Contains("HTTP 413", output, StringComparison.Ordinal);
        Assert.Contains("lower --batch-bytes", output, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", output, StringComparison.Ordinal);
        Assert.Equal(0, await _node.Registration.CountAsync("SELECT count(*) FROM registration.instances"));
    }

    [Fact]
    public async Task TheRegistrationHostEnforcesTheSameLimitWhenPushedToDirectly()
    {
        using var folder = new TempFolder();
        LargeInstances.Write(folder.Path, "ct", count: 3, bytes: 900_000);

        var (exit, output) = await PushCommandRunner.RunAsync(folder.Path, _node.Registration.Url, _node.AdapterToken("pacs-direct"), "--batch-bytes", "8M");

        Assert.True(exit == ExitCodes.TooLarge, output);
        Assert.Contains("HTTP 413", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchesCutBySizeStayUnderTheLimitAndAreStored()
    {
        using var folder = new TempFolder();
        var uids = LargeInstances.Write(folder.Path, "cr", count: 5, bytes: 900_000);

        var (exit, output) = await PushCommandRunner.RunAsync(folder.Path, _node.Url, _node.AdapterToken("pacs-split"), "--batch-bytes", "1900K");

        Assert.True(exit == ExitCodes.Ok, output);
        Assert.Equal(uids.Count, await _node.Registration.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = ANY($1)", (object)uids.ToArray()));
        // Two files a batch (2 × 900,000 bytes plus part headers fit in 1900K), so three requests for five files.
        Assert.Equal(3, await _node.Registration.CountAsync("SELECT count(*) FROM registration.acquisition_batches WHERE adapter = 'pacs-split'"));
    }
}

internal static class PushCommandRunner
{
    public static async Task<(int Exit, string Output)> RunAsync(string folder, Uri node, string token, params string[] extra)
    {
        var (options, error) = PushOptions.Parse([folder, "--node", node.AbsoluteUri, "--token", token, .. extra]);
        Assert.True(options is not null, error);
        using var output = new StringWriter();
        using var progress = new StringWriter();
        var exit = await new PushCommand(options, output, progress, interactive: false).RunAsync(CancellationToken.None, CancellationToken.None);
        return (exit, output.ToString());
    }
}
