using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Cli.Rebuild;

/// <summary>
/// <c>medcat directory rebuild</c>: starts a rebuild of the node's directory read model (through the gateway), prints its
/// progress in Chinese and English as it changes, and exits with whether it succeeded (ADR 0024).
/// </summary>
public sealed class DirectoryRebuildCommand(DirectoryRebuildOptions options, TextWriter output)
{
    public const int Succeeded = 0, Failed = 1, Usage = 2, Fatal = 3;
    private const string Path = "api/directory/admin/rebuild";

    /// <summary>Runs <c>medcat directory ARGS</c>: parses, rebuilds, prints; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var help = args.Any(a => a is "-h" or "--help");
        if (args.Count == 0 || args[0] != "rebuild" || help)
        {
            await (help ? output : error).WriteAsync((help ? "" : "用法 Usage:\n") + DirectoryRebuildOptions.Usage);
            return help ? Succeeded : Usage;
        }
        var (options, problem) = DirectoryRebuildOptions.Parse([.. args.Skip(1)]);
        if (options is null)
        {
            await error.WriteLineAsync($"{problem}\n\n用法 Usage:\n{DirectoryRebuildOptions.Usage}");
            return Usage;
        }
        return await new DirectoryRebuildCommand(options, output).RunAsync(ct);
    }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = options.Node, Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            var token = options.Token ?? await ClientCredentialsAsync(http, ct);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var started = await http.PostAsync(Path, null, ct);
            var body = await started.Content.ReadAsStringAsync(ct);
            if (started.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return Fail($"节点拒绝重建请求 the node refused the request ({(int)started.StatusCode}): the token must carry the admin role. {Shorten(body)}");
            if (started.StatusCode == HttpStatusCode.Conflict)
                return Fail($"另一个重建正在进行 another rebuild is running: {Detail(body)}");
            if (started.StatusCode != HttpStatusCode.Accepted)
                return Fail($"无法开始重建 the rebuild could not start ({(int)started.StatusCode}): {Shorten(body)}");
            var run = JsonNode.Parse(body) ?? throw new JsonException("empty answer");
            var id = run["id"]?.ToString();
            var status = started.Headers.Location is { } location ? new Uri(options.Node, location.OriginalString.TrimStart('/')) : new Uri(options.Node, Path);
            output.WriteLine($"重建已开始 rebuild {id} started at {run["startedAt"]}.");

            string? shown = null;
            while (true)
            {
                if (run["id"]?.ToString() != id) return Fail($"节点显示的是另一个重建 the node shows another rebuild ({run["id"]}) than the one started ({id}).");
                var state = run["state"]?.ToString();
                var progress = Progress(run);
                if (progress != shown) output.WriteLine(progress);
                shown = progress;
                if (state != "running") return Report(run, state);
                await Task.Delay(options.Interval, ct);
                using var response = await http.GetAsync(status, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode) return Fail($"无法读取进度 cannot read the progress ({(int)response.StatusCode}): {Shorten(text)}");
                run = JsonNode.Parse(text) ?? throw new JsonException("empty answer");
            }
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

    private static string Progress(JsonNode run) =>
        $"  第 {run["pages"]} 页，已写入 {run["entriesWritten"]} 条，已移除 {run["entriesRemoved"]} 条 — page {run["pages"]}, {run["entriesWritten"]} written, {run["entriesRemoved"]} removed";

    private int Report(JsonNode run, string? state)
    {
        if (state == "succeeded")
        {
            output.WriteLine($"重建完成：{run["pages"]} 页，写入 {run["entriesWritten"]} 条已发布条目，移除 {run["entriesRemoved"]} 条（{run["finishedAt"]}）。");
            output.WriteLine($"The rebuild succeeded: {run["pages"]} pages, {run["entriesWritten"]} published entries written, {run["entriesRemoved"]} removed ({run["finishedAt"]}).");
            return Succeeded;
        }
        output.WriteLine($"重建未完成（{(state == "interrupted" ? "已中断" : "失败")}）：{run["lastError"]}");
        output.WriteLine($"The rebuild {state}: {run["lastError"]}");
        return Failed;
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

    private static string Detail(string problem)
    {
        try
        {
            return JsonNode.Parse(problem)?["detail"]?.ToString() ?? Shorten(problem);
        }
        catch (JsonException)
        {
            return Shorten(problem);
        }
    }

    private static string Shorten(string s) => s.Length > 500 ? s[..500] + "…" : s;

    private sealed class TokenRefusedException(string message) : Exception(message);
}
