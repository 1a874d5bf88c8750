using System.Globalization;

namespace MedImaging.Cli.Push;

/// <summary>The arguments of <c>medcat push</c>.</summary>
public sealed record PushOptions
{
    public const string SecretVariable = "MEDCAT_CLIENT_SECRET";

    public required string Source { get; init; }
    public required Uri Node { get; init; }
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public string? Token { get; init; }
    public int Batch { get; init; } = 20;
    public int Concurrency { get; init; } = 4;
    public string? Journal { get; init; }

    /// <summary>Stop after this many batches were sent, as a Ctrl-C after them would (tests, trial runs).</summary>
    public int? MaxBatches { get; init; }

    public const string Usage = """
        用法 Usage:
          medcat push <文件夹|文件 folder|file> --node <网关地址 gateway-url>
                      [--client-id ID --client-secret SECRET | --token TOKEN]
                      [--batch 20] [--concurrency 4] [--journal FILE] [--max-batches N]

          通过 STOW-RS 将 DICOM 文件推送到节点（POST <node>/dicomweb/studies），可断点续传。
          Pushes DICOM files to a node by STOW-RS, resumable: acknowledged files are recorded in the journal
          (default <folder>/.medcat-push.journal) and skipped on the next run.
          客户端密钥也可由环境变量 MEDCAT_CLIENT_SECRET 提供 (client secret may come from MEDCAT_CLIENT_SECRET).

          退出码 Exit codes: 0 全部成功 all stored; 1 有失败 some failed; 2 参数错误 usage;
                             3 无法继续 fatal (token, network, journal); 130 已中断 interrupted (re-run resumes)

        """;

    public static (PushOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? source = null, node = null, clientId = null, secret = null, token = null, journal = null;
        int batch = 20, concurrency = 4;
        int? maxBatches = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (source is not null) return Fail($"多余的参数 unexpected argument '{arg}'.");
                source = arg;
                continue;
            }
            if (i + 1 >= args.Count) return Fail($"{arg} 缺少取值 needs a value.");
            var value = args[++i];
            switch (arg)
            {
                case "--node": node = value; break;
                case "--client-id": clientId = value; break;
                case "--client-secret": secret = value; break;
                case "--token": token = value; break;
                case "--journal": journal = value; break;
                case "--batch" when Positive(value, 1000) is { } n: batch = n; break;
                case "--concurrency" when Positive(value, 64) is { } n: concurrency = n; break;
                case "--max-batches" when Positive(value, int.MaxValue) is { } n: maxBatches = n; break;
                case "--batch" or "--concurrency" or "--max-batches": return Fail($"{arg} 需要正整数 needs a positive integer, not '{value}'.");
                default: return Fail($"未知选项 unknown option {arg}.");
            }
        }
        secret ??= Environment.GetEnvironmentVariable(SecretVariable);
        if (source is null) return Fail("缺少要推送的文件夹或文件 missing the folder or file to push.");
        if (!File.Exists(source) && !Directory.Exists(source)) return Fail($"找不到 not found: {source}");
        if (node is null) return Fail("缺少 --node 网关地址 missing --node (the node's gateway URL).");
        if (!Uri.TryCreate(node, UriKind.Absolute, out var nodeUri) || nodeUri.Scheme is not ("http" or "https"))
            return Fail($"--node 不是 http(s) 地址 is not an http(s) URL: {node}");
        if (token is null && (clientId is null || secret is null))
            return Fail("需要 --token，或 --client-id 与 --client-secret needs --token, or --client-id with --client-secret.");
        if (token is not null && clientId is not null) return Fail("--token 与 --client-id 只能二选一 give --token or --client-id, not both.");
        return (new PushOptions
        {
            Source = Path.GetFullPath(source), Node = new Uri(nodeUri.AbsoluteUri.TrimEnd('/') + "/"), ClientId = clientId, ClientSecret = secret,
            Token = token, Batch = batch, Concurrency = concurrency, Journal = journal, MaxBatches = maxBatches,
        }, null);

        static (PushOptions?, string?) Fail(string error) => (null, error);
        static int? Positive(string s, int max) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max ? n : null;
    }
}
