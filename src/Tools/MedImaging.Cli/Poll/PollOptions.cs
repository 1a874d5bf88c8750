using System.Globalization;
using MedImaging.Cli.Push;

namespace MedImaging.Cli.Poll;

/// <summary>The arguments of <c>medcat poll</c>: the source PACS, the node (as for <c>push</c>), the state file and the schedule.</summary>
public sealed record PollOptions(PushOptions Node, Uri Pacs, string? PacsUser, string? PacsPassword, string State, DateOnly? Since, TimeSpan Overlap,
    TimeSpan Interval, bool Once, TimeSpan FullScan)
{
    public const string PacsPasswordVariable = "MEDCAT_PACS_PASSWORD";

    public const string Usage = """
          medcat poll --pacs <PACS 的 DICOMweb 地址 dicomweb-url> --node <网关地址 gateway-url>
                      [--client-id ID --client-secret SECRET | --token TOKEN] [--pacs-user U --pacs-password P]
                      [--state FILE] [--since 2024-01-01] [--overlap 2] [--full-scan-hours 24] [--interval 60s] [--once]

          DICOMweb 源适配器 (§4.4.3 交换桥接)：按检查日期窗口以 QIDO-RS 轮询 PACS 的检查，对新出现或实例数增加的检查以
          WADO-RS 取元数据（不取像素），以 DICOM JSON 推送到节点；进度记在状态文件中，可中断续传，重复推送不产生重复。
          DICOMweb source adapter: polls the PACS by QIDO-RS over a study-date window, fetches the metadata (not the
          pixels) of studies that are new or have grown by WADO-RS, and pushes it to the node as DICOM JSON, with the
          PACS's study URL as the Retrieve URL. Progress is kept in the state file (default ./medcat-poll.state.json):
          a run resumes, and pushing a study again stores nothing twice. The first run takes studies from --since
          (default: every study); later runs from the last run's date minus --overlap days (default 2), and every
          --full-scan-hours (default 24; 0: every round) a round looks at every study from --since again, for studies
          that reach the PACS late with an older study date (imported priors) or gain instances later.
          PACS 密码也可由环境变量 MEDCAT_PACS_PASSWORD 提供 (PACS password may come from MEDCAT_PACS_PASSWORD).
          退出码 Exit codes (--once): 0 全部成功 all fed; 1 有检查失败 some studies failed; 2 参数错误 usage; 3 无法继续 fatal.

        """;

    public static (PollOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? pacs = null, user = null, password = null, state = null;
        DateOnly? since = null;
        var overlap = 2;
        var fullScan = 24;
        var interval = TimeSpan.FromSeconds(60);
        var once = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--once")
            {
                once = true;
                continue;
            }
            if (arg is not ("--pacs" or "--pacs-user" or "--pacs-password" or "--state" or "--since" or "--overlap" or "--interval" or "--full-scan-hours"))
            {
                rest.Add(arg);
                continue;
            }
            if (i + 1 >= args.Count) return (null, $"{arg} 缺少取值 needs a value.");
            var value = args[++i];
            switch (arg)
            {
                case "--pacs": pacs = value; break;
                case "--pacs-user": user = value; break;
                case "--pacs-password": password = value; break;
                case "--state": state = value; break;
                case "--since" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d): since = d; break;
                case "--since": return (null, $"--since 需要日期 needs a date as 2024-01-31, not '{value}'.");
                case "--overlap" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 366: overlap = n; break;
                case "--full-scan-hours" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h <= 24 * 366: fullScan = h; break;
                case "--full-scan-hours": return (null, $"--full-scan-hours 需要小时数 needs a number of hours (0: every round), not '{value}'.");
                case "--overlap": return (null, $"--overlap 需要 0–366 的天数 needs a number of days from 0 to 366, not '{value}'.");
                case "--interval" when int.TryParse(value.TrimEnd('s'), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 86400:
                    interval = TimeSpan.FromSeconds(s);
                    break;
                case "--interval": return (null, $"--interval 需要秒数（如 60s）needs seconds such as 60s, not '{value}'.");
            }
        }
        if (pacs is null) return (null, "缺少 --pacs（PACS 的 DICOMweb 地址）missing --pacs (the PACS's DICOMweb base URL).");
        if (!Uri.TryCreate(pacs, UriKind.Absolute, out var pacsUri) || pacsUri.Scheme is not ("http" or "https"))
            return (null, $"--pacs 不是 http(s) 地址 is not an http(s) URL: {pacs}");
        password ??= Environment.GetEnvironmentVariable(PacsPasswordVariable);
        if ((user is null) != (password is null)) return (null, "--pacs-user 与 --pacs-password 须同时给出 give both --pacs-user and --pacs-password, or neither.");
        state = Path.GetFullPath(state ?? "medcat-poll.state.json");
        // push's parser checks the node and credentials; its source is the state file's folder.
        var (node, error) = PushOptions.Parse([Path.GetDirectoryName(state)!, .. rest]);
        if (node is null) return (null, error);
        return (new PollOptions(node, new Uri(pacsUri.AbsoluteUri.TrimEnd('/') + "/"), user, password, state, since, TimeSpan.FromDays(overlap), interval, once,
            TimeSpan.FromHours(fullScan)), null);
    }
}
