using System.Text;
using MedImaging.Cli.Push;
using MedImaging.Cli.Watch;

namespace MedImaging.Cli.Tests;

/// <summary>
/// <c>medcat watch</c>, the folder-drop adapter, against a real Registration host: files dropped into the folder are
/// stored and moved to done/, what the node refuses goes to failed/ with its reason, a file still being written is left
/// alone, and nothing moves while the node cannot be reached.
/// </summary>
public sealed class FolderDropTests : IAsyncLifetime
{
    private RegistrationServer _server = null!;

    public async Task InitializeAsync() => _server = await RegistrationServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(int Exit, string Output)> WatchOnceAsync(string folder, Uri? node = null, string settle = "200ms", Func<Task>? duringSettle = null)
    {
        var (options, error) = WatchOptions.Parse([folder, "--node", (node ?? _server.Url).AbsoluteUri, "--token", _server.AdapterToken("pacs-a"), "--once", "--settle", settle]);
        Assert.True(options is not null, error);
        using var output = new StringWriter();
        var run = new FolderDropCommand(options, output).RunAsync(CancellationToken.None);
        if (duringSettle is not null) await duringSettle();
        var exit = await run;
        return (exit, output.ToString());
    }

    private static string[] Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Stored_files_go_to_done_and_refused_ones_to_failed_with_their_reason()
    {
        string[] good = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "charset_files/chrH31.dcm"];
        using var folder = Corpus.Folder(good, new Dictionary<string, byte[]> { ["README.txt"] = Encoding.UTF8.GetBytes("导出清单 export list\n") });
        // A file cut off in the middle of its dataset: Part-10 by its first bytes, refused by the node.
        var ct = File.ReadAllBytes(Path.Combine(Corpus.Root, "test_files/CT_small.dcm"));
        File.WriteAllBytes(Path.Combine(folder.Path, "cut.dcm"), ct[..900]);

        var (exit, output) = await WatchOnceAsync(folder.Path);

        Assert.True(exit == ExitCodes.Failures, output);
        Assert.Equal(
            ["done/charset_files/chrH31.dcm", "done/test_files/CT_small.dcm", "done/test_files/MR_small.dcm",
             "failed/README.txt", "failed/README.txt.reason.txt", "failed/cut.dcm", "failed/cut.dcm.reason.txt"],
            Files(folder.Path));
        Assert.Contains("not a DICOM Part-10 file", File.ReadAllText(Path.Combine(folder.Path, "failed/README.txt.reason.txt")), StringComparison.Ordinal);
        Assert.Matches("^0x[0-9A-F]{4} ", File.ReadAllText(Path.Combine(folder.Path, "failed/cut.dcm.reason.txt")));
        var sops = good.Select(g => Corpus.Good[g]).ToArray();
        Assert.Equal(3, await _server.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = ANY($1)", (object)sops));
        Assert.Contains("成功 stored 3", output, StringComparison.Ordinal);

        // The same file dropped again lands next to the first in done/, under another name; the node keeps one instance.
        File.Copy(Path.Combine(Corpus.Root, "test_files/CT_small.dcm"), Path.Combine(folder.Path, "test_files/CT_small.dcm"));
        Assert.Equal(ExitCodes.Ok, (await WatchOnceAsync(folder.Path)).Exit);
        Assert.Contains("done/test_files/CT_small~1.dcm", Files(folder.Path));
        Assert.Equal(1, await _server.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = $1", (object)Corpus.Good["test_files/CT_small.dcm"]));
    }

    [Fact]
    public async Task A_file_still_being_written_is_left_for_a_later_round()
    {
        using var folder = Corpus.Folder(["test_files/MR_small.dcm"]);
        var growing = Path.Combine(folder.Path, "growing.dcm");
        var bytes = File.ReadAllBytes(Path.Combine(Corpus.Root, "test_files/CT_small.dcm"));
        File.WriteAllBytes(growing, bytes[..2000]);

        var (exit, output) = await WatchOnceAsync(folder.Path, settle: "1500ms", duringSettle: async () =>
        {
            await Task.Delay(500);
            await using var more = new FileStream(growing, FileMode.Append);
            await more.WriteAsync(bytes.AsMemory(2000));
        });

        Assert.True(exit == ExitCodes.Ok, output);
        Assert.Equal(["done/test_files/MR_small.dcm", "growing.dcm"], Files(folder.Path));
        // Written to the end and settled: the next round takes it whole.
        Assert.Equal(ExitCodes.Ok, (await WatchOnceAsync(folder.Path)).Exit);
        Assert.Equal(["done/growing.dcm", "done/test_files/MR_small.dcm"], Files(folder.Path));
        Assert.Equal(1, await _server.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = $1", (object)Corpus.Good["test_files/CT_small.dcm"]));
    }

    [Fact]
    public async Task Nothing_moves_while_the_node_cannot_be_reached()
    {
        using var folder = Corpus.Folder(["test_files/CT_small.dcm"]);
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // a loopback port nothing listens on

        var (exit, output) = await WatchOnceAsync(folder.Path, new Uri($"http://127.0.0.1:{port}/"));

        Assert.True(exit == ExitCodes.Fatal, output);
        Assert.Contains("稍后重试", output, StringComparison.Ordinal);
        Assert.Equal(["test_files/CT_small.dcm"], Files(folder.Path));
    }

    [Theory]
    [InlineData(new[] { "--settle", "soon" }, "--settle")]
    [InlineData(new[] { "--journal", "j" }, "--journal")]
    public void Bad_arguments_are_refused_naming_the_option(string[] extra, string expected)
    {
        using var folder = new TempFolder();
        var (options, error) = WatchOptions.Parse([folder.Path, "--node", "http://127.0.0.1:1/", "--token", "t", .. extra]);
        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
