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

    /// <summary>
    /// Largest batch body: a batch closes before a file would take it past this size (a larger file goes alone). The
    /// default stays under 30,000,000 bytes, the request limit of ASP.NET Core servers that no one configured, so a
    /// push works against an older gateway too.
    /// </summary>
    public long BatchBytes { get; init; } = DefaultBatchBytes;

    public const long DefaultBatchBytes = 24L * 1024 * 1024;
    public int Concurrency { get; init; } = 4;
    public string? Journal { get; init; }

    /// <summary>Stop after this many batches were sent, as a Ctrl-C after them would (tests, trial runs).</summary>
    public int? MaxBatches { get; init; }

    public const string Usage = """
        用法 Usage:
          medcat push <文件夹|文件 folder|file> --node <网关地址 gateway-url>
                      [--client-id ID --client-secret SECRET | --token TOKEN]
                      [--batch 20] [--batch-bytes 24M] [--concurrency 4] [--journal FILE] [--max-batches N]

          通过 STOW-RS 将 DICOM 文件推送到节点（POST <node>/dicomweb/studies），可断点续传。
          Pushes DICOM files to a node by STOW-RS, resumable: acknowledged files are recorded in the journal
          (default <folder>/.medcat-push.journal) and skipped on the next run.
          每批最多 --batch 个文件且不超过 --batch-bytes 字节（可用 K/M/G 后缀；单个更大的文件单独成批）。
          A batch holds at most --batch files and --batch-bytes bytes (suffix K, M or G; a larger file goes alone).
          客户端密钥也可由环境变量 MEDCAT_CLIENT_SECRET 提供 (client secret may come from MEDCAT_CLIENT_SECRET).
          -h, --help 显示本说明 shows this text.

          退出码 Exit codes: 0 全部成功 all stored; 1 有失败 some failed; 2 参数错误 usage;
                             3 无法继续 fatal (token, network, journal);
                             4 请求过大 a batch was refused as too large (HTTP 413: lower --batch-bytes);
                             130 已中断 interrupted (re-run resumes)

        """;

    /// <summary>The error <see cref="Parse"/> returns when -h or --help was given: print the usage and exit 0.</summary>
    public const string HelpRequested = "help";

    /// <summary>-h or --help anywhere among the arguments (never taken as an option's value).</summary>
    public static bool IsHelp(string arg) => arg is "-h" or "--help";

    public static (PushOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? source = null, node = null, clientId = null, secret = null, token = null, journal = null;
        int batch = 20, concurrency = 4;
        var batchBytes = DefaultBatchBytes;
        // Before anything else: "push --node --help" asks for help, it does not name a node "--help".
        if (args.Any(IsHelp)) return Fail(HelpRequested);
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
                case "--batch-bytes" when Bytes(value) is { } n: batchBytes = n; break;
                case "--batch" or "--concurrency" or "--max-batches": return Fail($"{arg} 需要正整数 needs a positive integer, not '{value}'.");
                case "--batch-bytes": return Fail($"{arg} 需要字节数（如 24M）needs a size in bytes of at least 1K (suffix K, M or G), not '{value}'.");
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
            Token = token, Batch = batch, BatchBytes = batchBytes, Concurrency = concurrency, Journal = journal, MaxBatches = maxBatches,
        }, null);

        static (PushOptions?, string?) Fail(string error) => (null, error);
        static long? Bytes(string s)
        {
            var unit = s.Length > 0 ? char.ToUpperInvariant(s[^1]) switch { 'K' => 1024L, 'M' => 1024L * 1024, 'G' => 1024L * 1024 * 1024, _ => 1L } : 1L;
            var digits = unit == 1 ? s : s[..^1];
            return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= long.MaxValue / unit && n * unit >= 1024 ? n * unit : null;
        }
        static int? Positive(string s, int max) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max ? n : null;
    }
}
