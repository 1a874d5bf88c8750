using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedImaging.Cli.Push;

/// <summary>
/// What the node acknowledged, one JSON line per file: node, relative path, size, modification time and SOP Instance
/// UID. A file whose path, size and time match a line for the same node is not sent again. Lines are appended and
/// flushed to disk after every batch; a torn last line (a crash mid-write) is ignored, so the worst case is that a
/// batch is sent twice, which the server answers with "already stored".
/// </summary>
public sealed class PushJournal : IDisposable
{
    public sealed record Entry(
        [property: JsonPropertyName("node")] string Node,
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("mtime")] long ModifiedTicks,
        [property: JsonPropertyName("sop")] string? SopInstanceUid,
        [property: JsonPropertyName("at")] DateTimeOffset At);

    private readonly HashSet<(string Path, long Size, long Ticks)> _done = [];
    private readonly string _node;
    private readonly FileStream _stream;
    private readonly Lock _gate = new();

    private PushJournal(string path, string node, FileStream stream)
    {
        FilePath = path;
        _node = node;
        _stream = stream;
    }

    public string FilePath { get; }

    public int Count => _done.Count;

    /// <summary>The journal for a source: the explicit path, else <c>.medcat-push.journal</c> in the folder when it is
    /// writable, else under <c>~/.local/state/medcat/</c> (named after the folder).</summary>
    public static string DefaultPath(string source)
    {
        var folder = Directory.Exists(source) ? source : Path.GetDirectoryName(source)!;
        var inFolder = Path.Combine(folder, ".medcat-push.journal");
        if (Directory.Exists(source) && CanWrite(folder)) return inFolder;
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];
        return Path.Combine(state, "medcat", $"push-{name}.journal");
    }

    public static PushJournal Open(string path, Uri node)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var journal = new PushJournal(Path.GetFullPath(path), node.AbsoluteUri, stream);
        using (var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || line[0] != '{') continue;
                try
                {
                    if (JsonSerializer.Deserialize<Entry>(line) is { } e && e.Node == journal._node) journal._done.Add((e.Path, e.Size, e.ModifiedTicks));
                }
                catch (JsonException)
                {
                    // a line torn by a crash: its batch is simply sent again
                }
            }
        }
        // A torn last line must not glue itself to the next entry.
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            var last = stream.ReadByte();
            if (last != '\n') stream.WriteByte((byte)'\n');
        }
        stream.Seek(0, SeekOrigin.End);
        return journal;
    }

    public bool IsDone(SourceFile file)
    {
        lock (_gate) return _done.Contains((file.RelativePath, file.Size, file.ModifiedTicks));
    }

    /// <summary>Appends the acknowledged files and flushes them to disk before returning.</summary>
    public void Record(IEnumerable<(SourceFile File, string? SopInstanceUid)> acknowledged)
    {
        var text = new StringBuilder();
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            foreach (var (file, sop) in acknowledged)
            {
                if (!_done.Add((file.RelativePath, file.Size, file.ModifiedTicks))) continue;
                text.Append(JsonSerializer.Serialize(new Entry(_node, file.RelativePath, file.Size, file.ModifiedTicks, sop, now))).Append('\n');
            }
            if (text.Length == 0) return;
            _stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            _stream.Flush(flushToDisk: true);
        }
    }

    public void Dispose() => _stream.Dispose();

    private static bool CanWrite(string folder)
    {
        try
        {
            var probe = Path.Combine(folder, $".medcat-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
