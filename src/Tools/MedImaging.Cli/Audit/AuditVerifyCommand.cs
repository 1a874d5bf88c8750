using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Cli.Audit;

/// <summary>
/// <c>medcat audit verify</c>: asks the node's Exchange service (through the gateway) to verify the whole audit chain
/// and prints the outcome in Chinese and English; the exit code says intact (0) or broken (1).
/// </summary>
public sealed class AuditVerifyCommand(AuditVerifyOptions options, TextWriter output)
{
    public const int Intact = 0, Broken = 1, Usage = 2, Fatal = 3;

    private static readonly Dictionary<string, string> KindsZh = new(StringComparer.Ordinal)
    {
        ["content-changed"] = "内容被篡改（哈希不符）",
        ["sequence-gap"] = "序号缺口（记录被删除）",
        ["row-missing"] = "记录缺失（前序哈希不符）",
        ["anchor-mismatch"] = "签名锚点不符",
        ["chain-cut-short"] = "链尾被截断",
    };

    /// <summary>Runs <c>medcat audit ARGS</c>: parses, verifies, prints; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] != "verify" || args.Any(a => a is "-h" or "--help"))
        {
            var help = args.Any(a => a is "-h" or "--help");
            await (help ? output : error).WriteAsync((help ? "" : "用法 Usage:\n") + AuditVerifyOptions.Usage);
            return help ? Intact : Usage;
        }
        var (options, problem) = AuditVerifyOptions.Parse([.. args.Skip(1)]);
        if (options is null)
        {
            await error.WriteLineAsync($"{problem}\n\n用法 Usage:\n{AuditVerifyOptions.Usage}");
            return Usage;
        }
        return await new AuditVerifyCommand(options, output).RunAsync(ct);
    }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        // Verifying a long chain takes a while: the node reads every row.
        using var http = new HttpClient { BaseAddress = options.Node, Timeout = TimeSpan.FromHours(2) };
        try
        {
            var token = options.Token ?? await ClientCredentialsAsync(http, ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/exchange/audit/verify");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return Fail($"节点拒绝校验请求 the node refused the request ({(int)response.StatusCode}): the token must carry the regulator or admin role. {Shorten(body)}");
            if (!response.IsSuccessStatusCode)
                return Fail($"校验失败 verification failed ({(int)response.StatusCode}): {Shorten(body)}");
            return Report(JsonNode.Parse(body) ?? throw new JsonException("empty answer"));
        }
        catch (TokenRefusedException ex)
        {
            return Fail(ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return Fail($"无法连接节点 cannot reach {options.Node}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return Fail($"节点的回答无法解析 the node's answer is not the expected JSON: {ex.Message}");
        }
    }

    private int Report(JsonNode result)
    {
        var rows = result["rowsChecked"]?.GetValue<long>() ?? 0;
        var anchors = result["anchorsChecked"]?.GetValue<long>() ?? 0;
        if (result["ok"]?.GetValue<bool>() == true)
        {
            output.WriteLine($"审计链完整：已校验 {rows} 条记录、{anchors} 个签名锚点。");
            output.WriteLine($"The audit chain is intact: {rows} rows and {anchors} signed anchors checked.");
            return Intact;
        }
        var p = result["firstProblem"] ?? throw new JsonException("ok is false but firstProblem is missing");
        var sequence = p["sequence"]?.GetValue<long>() ?? 0;
        var kind = p["kind"]?.GetValue<string>() ?? "?";
        output.WriteLine($"审计链已损坏：第一处问题在第 {sequence} 条记录，{KindsZh.GetValueOrDefault(kind, kind)}（此前已校验 {rows} 条记录、{anchors} 个锚点）。");
        output.WriteLine($"The audit chain is broken: the first problem is at row {sequence}, {kind} ({rows} rows and {anchors} anchors checked before it).");
        output.WriteLine($"  {p["detail"]?.GetValue<string>()}");
        return Broken;
    }

    private async Task<string> ClientCredentialsAsync(HttpClient http, CancellationToken ct)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = options.ClientId!, ["client_secret"] = options.ClientSecret!,
        });
        using var response = await http.PostAsync("connect/token", form, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new TokenRefusedException($"获取令牌失败 token request refused ({(int)response.StatusCode}): {Shorten(body)}");
        return JsonNode.Parse(body)?["access_token"]?.GetValue<string>() ?? throw new TokenRefusedException("令牌响应无 access_token the token response has no access_token.");
    }

    private int Fail(string message)
    {
        output.WriteLine(message);
        return Fatal;
    }

    private static string Shorten(string s) => s.Length > 500 ? s[..500] + "…" : s;

    private sealed class TokenRefusedException(string message) : Exception(message);
}
