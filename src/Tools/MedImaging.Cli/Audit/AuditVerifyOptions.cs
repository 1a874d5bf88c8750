namespace MedImaging.Cli.Audit;

/// <summary>The arguments of <c>medcat audit verify</c>: the node's gateway and the same credentials as <c>medcat push</c>.</summary>
public sealed record AuditVerifyOptions
{
    public required Uri Node { get; init; }
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public string? Token { get; init; }

    public const string Usage = """
          medcat audit verify --node <网关地址 gateway-url>
                      [--client-id ID --client-secret SECRET | --token TOKEN]

          校验节点的审计链（POST <node>/api/exchange/audit/verify）：逐行重算哈希、核对每个签名锚点，指出第一处损坏。
          Verifies the node's audit trail: every row's hash and link and every signed anchor; names the first broken row.
          需要监管员 (regulator) 或管理员 (admin) 角色的令牌 needs a token with the regulator or admin role.
          客户端密钥也可由环境变量 MEDCAT_CLIENT_SECRET 提供 (client secret may come from MEDCAT_CLIENT_SECRET).

          退出码 Exit codes: 0 审计链完整 intact; 1 审计链损坏 broken (the problem is printed); 2 参数错误 usage;
                             3 无法校验 fatal (token, network, refused)

        """;

    public static (AuditVerifyOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? node = null, clientId = null, secret = null, token = null;
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
        return (new AuditVerifyOptions { Node = new Uri(nodeUri.AbsoluteUri.TrimEnd('/') + "/"), ClientId = clientId, ClientSecret = secret, Token = token }, null);

        static (AuditVerifyOptions?, string?) Fail(string error) => (null, error);
    }
}
