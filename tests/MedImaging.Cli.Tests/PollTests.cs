using System.Text.Json.Nodes;
using MedImaging.Cli.Poll;
using MedImaging.Cli.Push;
using MedImaging.Registration.Tests;

namespace MedImaging.Cli.Tests;

/// <summary>
/// <c>medcat poll</c>, the DICOMweb source adapter, against a real PACS (Debian's Orthanc with its DICOMweb plugin,
/// loaded with the pydicom corpus; no DICOM port, loopback only, HTTP Basic) and a node's gateway: every study is fed
/// once with its PACS URL as the online resource link, a second run feeds nothing, and a study that grows is fed again
/// without duplicating what the node already holds.
/// </summary>
public sealed class PollTests : IAsyncLifetime, IDisposable
{
    private GatewayNode _node = null!;
    private OrthancDicomWebClient _pacs = null!;
    private TempFolder _state = null!;

    public async Task InitializeAsync()
    {
        Assert.True(OrthancDicomWebClient.Missing is null, OrthancDicomWebClient.Missing);
        _node = await GatewayNode.StartAsync();
        _pacs = await OrthancDicomWebClient.StartAsync(OrthancDicomWebClient.FreeLoopbackPort(), new Uri("http://127.0.0.1:9/"), "unused");
        _state = new TempFolder();
    }

    public void Dispose() => _state.Dispose();

    public async Task DisposeAsync()
    {
        await _pacs.DisposeAsync();
        await _node.DisposeAsync();
    }

    private async Task UploadAsync(string corpusFile)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(Corpus.Root, corpusFile)));
        (await _pacs.Http.PostAsync("instances", content)).EnsureSuccessStatusCode();
    }

    private async Task<(int Exit, string Output)> PollOnceAsync(string fullScanHours = "24")
    {
        var (options, error) = PollOptions.Parse(["--pacs", new Uri(_pacs.BaseAddress, "dicom-web/").AbsoluteUri, "--pacs-user", OrthancDicomWebClient.User,
            "--pacs-password", _pacs.Password, "--node", _node.Url.AbsoluteUri, "--token", _node.AdapterToken("pacs-a"),
            "--state", Path.Combine(_state.Path, "poll.json"), "--once", "--full-scan-hours", fullScanHours]);
        Assert.True(options is not null, error);
        using var output = new StringWriter();
        using var poll = new PollCommand(options, output);
        return (await poll.RunAsync(CancellationToken.None), output.ToString());
    }

    [Fact]
    public async Task Every_study_is_fed_once_and_a_grown_study_again_without_duplicates()
    {
        string[] first = ["test_files/CT_small.dcm", "test_files/MR_small.dcm", "test_files/rtplan.dcm", "charset_files/chrH31.dcm"];
        foreach (var f in first) await UploadAsync(f);

        var (exit, output) = await PollOnceAsync();

        Assert.True(exit == ExitCodes.Ok, output);
        var sops = first.Select(f => Corpus.Good[f]).ToArray();
        Assert.Equal(first.Length, await _node.Registration.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = ANY($1)", (object)sops));
        // The catalogue's online link of each study is the PACS's own study URL, where the data stays.
        Assert.Equal(first.Length, await _node.Registration.CountAsync(
            "SELECT count(*) FROM registration.studies WHERE online_resource_link LIKE $1 || 'studies/%'", new Uri(_pacs.BaseAddress, "dicom-web/").AbsoluteUri));
        var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_state.Path, "poll.json")))!;
        Assert.Equal(first.Length, state["studies"]!.AsObject().Count);
        Assert.NotNull(state["watermark"]);

        // The next round looks at this week's study dates only: the corpus's studies (2004) are not even asked for.
        var (again, output2) = await PollOnceAsync();
        Assert.True(again == ExitCodes.Ok, output2);
        Assert.Contains("窗口 window", output2, StringComparison.Ordinal);
        Assert.Contains("检查 studies 0", output2, StringComparison.Ordinal);
        // A full scan sees them all and feeds none of them again.
        var (full, output3) = await PollOnceAsync("0");
        Assert.True(full == ExitCodes.Ok, output3);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"检查 studies {first.Length}"), output3, StringComparison.Ordinal);
        Assert.Contains("推送 fed 0", output3, StringComparison.Ordinal);

        // Another instance of CT_small's study arrives at the PACS (a copy with its own SOP Instance UID): that study is
        // fed again; the node gains that one instance and no second copy of the others.
        var folder = new TempFolder();
        using (folder)
        {
            var uid = LargeInstances.Write(folder.Path, "extra", 1, 4000)[0];
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(Directory.GetFiles(folder.Path, "extra*.dcm")[0]));
            (await _pacs.Http.PostAsync("instances", content)).EnsureSuccessStatusCode();
            var (third, output4) = await PollOnceAsync("0");
            Assert.True(third == ExitCodes.Ok, output4);
            Assert.Contains("推送 fed 1", output4, StringComparison.Ordinal);
            Assert.Equal(1, await _node.Registration.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = $1", uid));
        }
        Assert.Equal(first.Length + 1, await _node.Registration.CountAsync("SELECT count(*) FROM registration.instances"));
    }

    [Fact]
    public async Task An_unreachable_node_records_nothing_and_says_so()
    {
        await UploadAsync("test_files/CT_small.dcm");
        var (options, error) = PollOptions.Parse(["--pacs", new Uri(_pacs.BaseAddress, "dicom-web/").AbsoluteUri, "--pacs-user", OrthancDicomWebClient.User,
            "--pacs-password", _pacs.Password, "--node", "http://127.0.0.1:9/", "--token", "t", "--state", Path.Combine(_state.Path, "down.json"), "--once"]);
        Assert.True(options is not null, error);
        using var output = new StringWriter();
        using var poll = new PollCommand(options, output);
        Assert.Equal(ExitCodes.Fatal, await poll.RunAsync(CancellationToken.None));
        Assert.Contains("下一轮继续", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_state.Path, "down.json")) && JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_state.Path, "down.json")))!["studies"]!.AsObject().Count > 0);
    }

    [Theory]
    [InlineData(new[] { "--node", "http://127.0.0.1:1/", "--token", "t" }, "--pacs")]
    [InlineData(new[] { "--pacs", "http://127.0.0.1:2/dicom-web", "--pacs-user", "u", "--node", "http://127.0.0.1:1/", "--token", "t" }, "--pacs-password")]
    [InlineData(new[] { "--pacs", "http://127.0.0.1:2/dicom-web", "--since", "2024/01/01", "--node", "http://127.0.0.1:1/", "--token", "t" }, "--since")]
    public void Bad_arguments_are_refused_naming_the_option(string[] args, string expected)
    {
        var (options, error) = PollOptions.Parse(args);
        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
