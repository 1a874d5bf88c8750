using System.Diagnostics;
using MedImaging.Cli.Push;

namespace MedImaging.Cli.Tests;

/// <summary>The medcat program itself (a child process), and the batch cutting.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("push", "--help")]
    [InlineData("push", "-h")]
    [InlineData("push", "/tmp", "--node", "--help")]
    [InlineData("push", "/tmp", "--node", "http://127.0.0.1:1", "--token", "t", "-h")]
    [InlineData("--help")]
    public async Task HelpAnywherePrintsTheUsageAndSucceeds(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains("用法 Usage:", stdout, StringComparison.Ordinal);
        Assert.Contains("4 请求过大", stdout, StringComparison.Ordinal);
        Assert.Contains("--batch-bytes", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("needs a value", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingValueIsStillAUsageError()
    {
        var (exit, _, stderr) = await RunAsync("push", "/tmp", "--node");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--node 缺少取值 needs a value", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("24M", 24L * 1024 * 1024)]
    [InlineData("1900K", 1900L * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    [InlineData("5000000", 5_000_000L)]
    public void BatchBytesTakesASizeWithAnOptionalSuffix(string value, long expected)
    {
        var (options, error) = PushOptions.Parse(["/tmp", "--node", "http://127.0.0.1:1", "--token", "t", "--batch-bytes", value]);
        Assert.True(options is not null, error);
        Assert.Equal(expected, options.BatchBytes);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("12")]
    [InlineData("lots")]
    [InlineData("-5M")]
    public void BatchBytesRefusesWhatIsNotASize(string value)
    {
        var (options, error) = PushOptions.Parse(["/tmp", "--node", "http://127.0.0.1:1", "--token", "t", "--batch-bytes", value]);
        Assert.Null(options);
        Assert.Contains("--batch-bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultBatchSizeStaysUnderKestrelsDefaultLimit() =>
        Assert.True(PushOptions.DefaultBatchBytes + 20 * 256 < 30_000_000);

    [Fact]
    public void BatchesCloseAtTheCountOrBeforeTheSizeWouldBeExceededAndALargeFileGoesAlone()
    {
        SourceFile F(string name, long size) => new(name, name, size, 0);
        var files = new[] { F("a", 400), F("b", 400), F("c", 5000), F("d", 100), F("e", 100), F("f", 100), F("g", 100) };

        var batches = Batches.Split(files, maxFiles: 3, maxBytes: 1000 + 2 * 256);

        Assert.Equal(["a b", "c", "d e f", "g"], batches.Select(b => string.Join(' ', b.Select(f => f.RelativePath))));
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "medcat.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
