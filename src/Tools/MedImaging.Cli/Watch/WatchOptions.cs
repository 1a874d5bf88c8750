using System.Globalization;
using MedImaging.Cli.Push;

namespace MedImaging.Cli.Watch;

/// <summary>The arguments of <c>medcat watch</c>: those of <c>push</c> (node, credentials, batching) and the folder's own.</summary>
public sealed record WatchOptions(PushOptions Push, TimeSpan Settle, TimeSpan Poll, bool Once)
{
    public const string Usage = """
          medcat watch <投放文件夹 drop-folder> --node <网关地址 gateway-url>
                      [--client-id ID --client-secret SECRET | --token TOKEN]
                      [--settle 2s] [--poll 5s] [--once] [--batch 20] [--batch-bytes 24M] [--concurrency 4]

          投放文件夹适配器 (§4.4.3 交换桥接)：监视文件夹，新文件写完（大小与修改时间 --settle 内不变）后推送到节点，
          成功的移入 done/，被拒绝的移入 failed/ 并附 <文件名>.reason.txt 说明原因；节点暂时不可达时文件留在原处，稍后重试。
          Folder-drop adapter: watches the folder; a new file, once written (size and time unchanged for --settle), is
          pushed to the node by STOW-RS and moved to done/ when stored, or to failed/ with <name>.reason.txt when the node
          refuses it. While the node is unreachable, files stay where they are and are tried again.
          --once 处理当前已写完的文件后退出 (for cron): pushes what is ready now and exits.
          退出码 Exit codes (--once): 0 全部成功 all stored; 1 有文件移入 failed/ some refused; 2 参数错误 usage; 3 无法继续 fatal.

        """;

    public static (WatchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var settle = TimeSpan.FromSeconds(2);
        var poll = TimeSpan.FromSeconds(5);
        var once = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--once": once = true; break;
                case "--settle" or "--poll" when i + 1 >= args.Count: return (null, $"{args[i]} 缺少取值 needs a value.");
                case "--settle" or "--poll":
                    if (Duration(args[i + 1]) is not { } d) return (null, $"{args[i]} 需要时长（如 2s、500ms、1m）needs a duration such as 2s, 500ms or 1m, not '{args[i + 1]}'.");
                    if (args[i] == "--settle") settle = d;
                    else poll = d;
                    i++;
                    break;
                case "--journal" or "--max-batches": return (null, $"{args[i]} 不适用于 watch does not apply to watch (moved files are the record).");
                default: rest.Add(args[i]); break;
            }
        }
        var (push, error) = PushOptions.Parse(rest);
        if (push is null) return (null, error);
        if (!Directory.Exists(push.Source)) return (null, $"watch 需要文件夹 needs a folder, not a file: {push.Source}");
        return (new WatchOptions(push, settle, poll, once), null);
    }

    private static TimeSpan? Duration(string s)
    {
        var (digits, unit) = s.EndsWith("ms", StringComparison.Ordinal) ? (s[..^2], 1L)
            : s.EndsWith('s') ? (s[..^1], 1000L)
            : s.EndsWith('m') ? (s[..^1], 60_000L)
            : (s, 1000L);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 86_400_000 / unit
            ? TimeSpan.FromMilliseconds(n * unit) : null;
    }
}
