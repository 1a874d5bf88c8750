using System.Globalization;

namespace MedImaging.Cli.Rebuild;

/// <summary>The arguments of <c>medcat directory rebuild</c>: the node's gateway and the same credentials as <c>medcat push</c>.</summary>
public sealed record DirectoryRebuildOptions
{
    public required Uri Node { get; init; }
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public string? Token { get; init; }

    /// <summary>How often the progress is asked for.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public const string Usage = """
          medcat directory rebuild --node <网关地址 gateway-url>
                      [--client-id ID --client-secret SECRET | --token TOKEN] [--interval 秒 seconds (1)]

          重建节点的目录读模型（POST <node>/api/directory/admin/rebuild）：从注册服务重新读取全部已发布条目，
          替换本节点的条目，并显示进度直至结束。
          Rebuilds the node's directory read model from every entry Registration has published and shows the progress
          until it ends. 需要管理员 (admin) 角色的令牌 needs a token with the admin role.
          客户端密钥也可由环境变量 MEDCAT_CLIENT_SECRET 提供 (client secret may come from MEDCAT_CLIENT_SECRET).

          退出码 Exit codes: 0 重建成功 succeeded; 1 重建失败或中断 failed or interrupted (the error is printed); 2 参数错误 usage;
                             3 无法开始 could not start (token, network, refused, another rebuild running)

        """;

    public static (DirectoryRebuildOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? node = null, clientId = null, secret = null, token = null, interval = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) return Fail($"多余的参数 unexpected argument '{arg}'.");
            if (i + 1 >= args.Count) return Fail($"{arg} 缺少取值 needs a value.");
            var value = args[++i];
            switch (arg)
            {
                case "--node": node = value; break;
                case "--client-id": clientId = value; break;
                case "--client-secret": secret = value; break;
                case "--token": token = value; break;
                case "--interval": interval = value; break;
                default: return Fail($"未知选项 unknown option {arg}.");
            }
        }
        secret ??= Environment.GetEnvironmentVariable(Push.PushOptions.SecretVariable);
        if (node is null) return Fail("缺少 --node 网关地址 missing --node (the node's gateway URL).");
        if (!Uri.TryCreate(node, UriKind.Absolute, out var nodeUri) || nodeUri.Scheme is not ("http" or "https"))
            return Fail($"--node 不是 http(s) 地址 is not an http(s) URL: {node}");
        if (token is null && (clientId is null || secret is null))
            return Fail("需要 --token，或 --client-id 与 --client-secret needs --token, or --client-id with --client-secret.");
        if (token is not null && clientId is not null) return Fail("--token 与 --client-id 只能二选一 give --token or --client-id, not both.");
        var seconds = 1.0;
        if (interval is not null && (!double.TryParse(interval, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || seconds is < 0.1 or > 3600))
            return Fail($"--interval 应为 0.1–3600 秒 must be 0.1–3600 seconds: {interval}");
        return (new DirectoryRebuildOptions
        {
            Node = new Uri(nodeUri.AbsoluteUri.TrimEnd('/') + "/"), ClientId = clientId, ClientSecret = secret, Token = token, Interval = TimeSpan.FromSeconds(seconds),
        }, null);

        static (DirectoryRebuildOptions?, string?) Fail(string error) => (null, error);
    }
}
