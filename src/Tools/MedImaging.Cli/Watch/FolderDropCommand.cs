using System.Globalization;
using MedImaging.Cli.Push;

namespace MedImaging.Cli.Watch;

/// <summary>
/// <c>medcat watch</c>, the folder-drop bridging adapter (§4.4.3): a PACS export or a modality writes files into a folder;
/// each file, once its size and time have stayed the same for <see cref="WatchOptions.Settle"/> (so a half-copied file
/// is never sent), goes to the node by STOW-RS in batches, and is moved to <c>done/</c> when the node stored it or to
/// <c>failed/</c>, next to a <c>.reason.txt</c> in Chinese and English, when the node refused it. A file the node could
/// not be asked about (unreachable, busy) stays where it is and is tried again in the next round; after
/// <see cref="MaxTries"/> such rounds it goes to <c>failed/</c> too. The moved files are the record: nothing is sent twice
/// unless a move fails, and a second STOW of the same instance is a no-op on the node.
/// </summary>
public sealed class FolderDropCommand(WatchOptions options, TextWriter output)
{
    public const string Done = "done", Failed = "failed", ReasonSuffix = ".reason.txt";
    public const int MaxTries = 5;

    private readonly string _root = options.Push.Source;
    private readonly Dictionary<string, (long Size, long Ticks, DateTime Since)> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tries = new(StringComparer.Ordinal);

    public sealed record Round(int Stored, int Refused, int Waiting, string? Fatal);

    public async Task<int> RunAsync(CancellationToken stop)
    {
        Directory.CreateDirectory(Path.Combine(_root, Done));
        Directory.CreateDirectory(Path.Combine(_root, Failed));
        output.WriteLine($"监视 watching {_root} → {options.Push.Node}dicomweb/studies（写完判定 settle {options.Settle.TotalSeconds:0.###} s）");
        using var client = new StowClient(options.Push);
        if (options.Once)
        {
            Ready();
            // A timer may end a moment early; the files must have been still for the whole settle time.
            await Task.Delay(options.Settle + TimeSpan.FromMilliseconds(50), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var round = await RoundAsync(client, stop);
            return round.Fatal is not null ? ExitCodes.Fatal : round.Refused > 0 ? ExitCodes.Failures : ExitCodes.Ok;
        }
        while (!stop.IsCancellationRequested)
        {
            await RoundAsync(client, stop);
            await Task.Delay(options.Poll, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return ExitCodes.Ok;
    }

    /// <summary>Pushes the files that are ready and moves them by outcome.</summary>
    public async Task<Round> RoundAsync(StowClient client, CancellationToken stop)
    {
        var ready = Ready();
        if (ready.Count == 0) return new Round(0, 0, 0, null);
        var refused = 0;
        foreach (var file in ready.Where(f => !SourceScanner.HasPart10Prefix(f.FullPath)))
        {
            Move(file, Failed, "不是 DICOM Part-10 文件（缺少 128 字节前导与 \"DICM\"） not a DICOM Part-10 file (no preamble + \"DICM\")");
            refused++;
        }
        var dicom = ready.Where(f => File.Exists(f.FullPath) && SourceScanner.HasPart10Prefix(f.FullPath)).ToList();
        int stored = 0, waiting = 0;
        string? fatal = null;
        var gate = new object();
        await Parallel.ForEachAsync(Batches.Split(dicom, options.Push.Batch, options.Push.BatchBytes),
            new ParallelOptions { MaxDegreeOfParallelism = options.Push.Concurrency, CancellationToken = CancellationToken.None }, async (batch, _) =>
            {
                if (fatal is not null || stop.IsCancellationRequested) return;
                IReadOnlyList<StoreOutcome> outcomes;
                try
                {
                    outcomes = await client.StoreAsync(batch, CancellationToken.None);
                }
                catch (StowClient.FatalException ex)
                {
                    lock (gate) fatal ??= ex.Message;
                    return;
                }
                foreach (var o in outcomes)
                    lock (gate)
                    {
                        if (o.Succeeded)
                        {
                            Move(o.File, Done, null);
                            stored++;
                        }
                        else if (o.FailureReason is not null || o.HttpStatus == StoreOutcome.PayloadTooLarge
                                 || (_tries[o.File.RelativePath] = _tries.GetValueOrDefault(o.File.RelativePath) + 1) >= MaxTries)
                        {
                            Move(o.File, Failed, $"{o.ReasonText}{(o.SopInstanceUid is null ? "" : $"\nSOP Instance UID {o.SopInstanceUid}")}");
                            refused++;
                        }
                        else waiting++;
                    }
            });
        if (fatal is not null)
        {
            waiting = ready.Count - stored - refused;
            output.WriteLine($"{fatal}\n文件保留在原处，稍后重试 the files stay where they are and are tried again.");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.Now:HH:mm:ss} 就绪 ready {ready.Count}: 成功 stored {stored} → {Done}/, 拒绝 refused {refused} → {Failed}/, 待重试 to retry {Math.Max(0, ready.Count - stored - refused)}"));
        return new Round(stored, refused, waiting, fatal);
    }

    // Files whose size and time have not changed for the settle time, outside done/ and failed/, not hidden.
    private List<SourceFile> Ready()
    {
        var now = DateTime.UtcNow;
        var ready = new List<SourceFile>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System }).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(_root, path);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is Done or Failed || Path.GetFileName(path).StartsWith('.')) continue;
            var info = new FileInfo(path);
            if (!info.Exists) continue;
            present.Add(relative);
            var stamp = (info.Length, info.LastWriteTimeUtc.Ticks);
            if (_seen.TryGetValue(relative, out var seen) && (seen.Size, seen.Ticks) == stamp)
            {
                if (now - seen.Since >= options.Settle) ready.Add(new SourceFile(info.FullName, relative, info.Length, info.LastWriteTimeUtc.Ticks));
                continue;
            }
            _seen[relative] = (stamp.Length, stamp.Ticks, now);
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList()) _seen.Remove(gone);
        return ready;
    }

    // Into done/ or failed/ under the same relative path; a name taken there gets ~1, ~2 … before its extension.
    private void Move(SourceFile file, string into, string? reason)
    {
        var target = Path.Combine(_root, into, file.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var stem = Path.Combine(Path.GetDirectoryName(target)!, Path.GetFileNameWithoutExtension(target));
        var extension = Path.GetExtension(target);
        for (var n = 1; File.Exists(target); n++) target = $"{stem}~{n}{extension}";
        try
        {
            File.Move(file.FullPath, target);
            if (reason is not null) File.WriteAllText(target + ReasonSuffix, reason + "\n");
            _seen.Remove(file.RelativePath);
            _tries.Remove(file.RelativePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"无法移动 cannot move {file.RelativePath} to {into}/: {ex.Message}");
        }
    }
}
