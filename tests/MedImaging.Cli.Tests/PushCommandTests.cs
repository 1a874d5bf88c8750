using System.Text;
using MedImaging.Cli.Push;

namespace MedImaging.Cli.Tests;

/// <summary>
/// <c>medcat push</c> against a real Registration host on a loopback port with real PostgreSQL: what the adapter's
/// operator sees (exit code, notes, failure table) and what the node recorded (instances, versions, acquisition log).
/// Each test gets a node of its own.
/// </summary>
public sealed class PushCommandTests : IAsyncLifetime
{
    private RegistrationServer _server = null!;

    public async Task InitializeAsync() => _server = await RegistrationServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(int Exit, string Output, string Progress)> PushAsync(string folder, string adapter, params string[] extra)
    {
        string[] args = [folder, "--node", _server.Url.AbsoluteUri, "--token", _server.AdapterToken(adapter), .. extra];
        var (options, error) = PushOptions.Parse(args);
        Assert.True(options is not null, error);
        using var output = new StringWriter();
        using var progress = new StringWriter();
        var exit = await new PushCommand(options, output, progress, interactive: false).RunAsync(CancellationToken.None, CancellationToken.None);
        return (exit, output.ToString(), progress.ToString());
    }

    private static readonly IReadOnlyDictionary<string, byte[]> NotDicom = new Dictionary<string, byte[]>
    {
        ["README.txt"] = Encoding.UTF8.GetBytes("检查清单 / export list of 2024-05-01\n"),
        ["DICOMDIR.bak"] = new byte[200],
    };

    [Fact]
    public async Task PushStoresEveryCorpusFileAndSkipsTheNonDicomFiles()
    {
        using var folder = Corpus.Folder(Corpus.Good.Keys, NotDicom);

        var (exit, output, progress) = await PushAsync(folder.Path, "pacs-a", "--batch", "3", "--concurrency", "2");

        Assert.True(exit == ExitCodes.Ok, output);
        Assert.Contains("跳过非 DICOM 文件 skipped, not DICOM Part-10 (no preamble + \"DICM\"): README.txt", output, StringComparison.Ordinal);
        Assert.Contains("DICOMDIR.bak", output, StringComparison.Ordinal);
        Assert.Contains($"文件 files {Corpus.Good.Count}/{Corpus.Good.Count}", progress, StringComparison.Ordinal);
        Assert.Contains("实例/秒 inst/s", progress, StringComparison.Ordinal);
        var sops = Corpus.Good.Values.ToArray();
        Assert.Equal(sops.Length, await _server.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = ANY($1) AND current_version = 1", (object)sops));
        // The acquisition log holds three batches (3 + 3 + 2) of this adapter, every instance stored.
        Assert.Equal(3, await _server.CountAsync("SELECT count(*) FROM registration.acquisition_batches WHERE adapter = 'pacs-a' AND status = 'Completed'"));
        Assert.Equal(sops.Length, await _server.CountAsync(
            "SELECT count(*) FROM registration.acquisition_items i JOIN registration.acquisition_batches b ON b.id = i.batch_id WHERE b.adapter = 'pacs-a' AND i.outcome = 'Stored'"));
        Assert.Equal(sops.Length, File.ReadAllLines(folder.Journal).Count(l => l.StartsWith('{')));
    }

    [Fact]
    public async Task AnInterruptedPushResumesWithoutDuplicateVersions()
    {
        using var folder = Corpus.Folder(Corpus.Good.Keys, NotDicom);
        var sops = Corpus.Good.Values.ToArray();

        var (first, output1, _) = await PushAsync(folder.Path, "pacs-a", "--batch", "3", "--concurrency", "1", "--max-batches", "1");
        Assert.True(first == ExitCodes.Interrupted, output1);
        Assert.Contains("已中断", output1, StringComparison.Ordinal);
        Assert.Equal(3, await _server.CountAsync("SELECT count(*) FROM registration.instances"));
        var journal = File.ReadAllLines(folder.Journal).Where(l => l.StartsWith('{')).ToList();
        Assert.Equal(3, journal.Count);
        // A crash between the node's answer and the journal write: the last acknowledged file is not journaled.
        File.WriteAllText(folder.Journal, string.Join('\n', journal.Take(2)) + "\n{\"node\":\"torn");

        var (second, output2, _) = await PushAsync(folder.Path, "pacs-a", "--batch", "3", "--concurrency", "2");

        Assert.True(second == ExitCodes.Ok, output2);
        Assert.Contains($"{sops.Length} DICOM files, 2 acknowledged before (skipped), {sops.Length - 2} to push", output2, StringComparison.Ordinal);
        Assert.Equal(sops.Length, await _server.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = ANY($1)", (object)sops));
        Assert.Equal(sops.Length, await _server.CountAsync("SELECT count(*) FROM registration.instance_versions"));
        Assert.Equal(0, await _server.CountAsync("SELECT count(*) FROM registration.instances WHERE current_version <> 1"));
        // The re-sent file was answered "already stored"; nothing else was sent twice.
        Assert.Equal(1, await _server.CountAsync("SELECT count(*) FROM registration.acquisition_items WHERE outcome = 'AlreadyStored'"));
        Assert.Equal(sops.Length + 1, await _server.CountAsync("SELECT count(*) FROM registration.acquisition_items"));

        var (third, output3, _) = await PushAsync(folder.Path, "pacs-a");
        Assert.Equal(ExitCodes.Ok, third);
        Assert.Contains($"{sops.Length} acknowledged before (skipped), 0 to push", output3, StringComparison.Ordinal);
        Assert.Equal(sops.Length + 1, await _server.CountAsync("SELECT count(*) FROM registration.acquisition_items"));
    }

    [Fact]
    public async Task ATruncatedFileFailsWithItsReasonInTheSummaryAndANonZeroExit()
    {
        using var folder = Corpus.Folder(["test_files/CT_small.dcm", "test_files/MR_truncated.dcm", "test_files/rtplan.dcm"]);

        var (exit, output, _) = await PushAsync(folder.Path, "pacs-a", "--batch", "20");

        Assert.True(exit == ExitCodes.Failures, output);
        var row = output.Split('\n').Single(l => l.Contains("MR_truncated.dcm", StringComparison.Ordinal));
        Assert.Contains("0xC000 无法解析 cannot understand", row, StringComparison.Ordinal);
        Assert.Contains("truncated", row, StringComparison.Ordinal); // the server's own words, from the acquisition log
        Assert.Contains("失败的实例 Failed instances (1)", output, StringComparison.Ordinal);
        Assert.Equal(2, await _server.CountAsync("SELECT count(*) FROM registration.instances"));
        var journal = File.ReadAllText(folder.Journal);
        Assert.DoesNotContain("MR_truncated", journal, StringComparison.Ordinal);

        // The failed file is not journaled: the next run tries it (alone) again.
        var (again, output2, _) = await PushAsync(folder.Path, "pacs-a");
        Assert.Equal(ExitCodes.Failures, again);
        Assert.Contains("2 acknowledged before (skipped), 1 to push", output2, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "push", "/tmp", "--node", "http://127.0.0.1:1" }, "--token")]
    [InlineData(new[] { "push", "/tmp", "--node", "ftp://x", "--token", "t" }, "http(s)")]
    [InlineData(new[] { "push", "/tmp", "--node", "http://127.0.0.1:1", "--token", "t", "--batch", "0" }, "--batch")]
    [InlineData(new[] { "push", "/nonexistent-folder-medcat", "--node", "http://127.0.0.1:1", "--token", "t" }, "not found")]
    public void BadArgumentsAreRefusedWithTheReason(string[] args, string expected)
    {
        var (options, error) = PushOptions.Parse(args[1..]);
        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
