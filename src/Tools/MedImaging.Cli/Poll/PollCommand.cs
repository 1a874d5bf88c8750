using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedImaging.Cli.Push;

namespace MedImaging.Cli.Poll;

/// <summary>
/// <c>medcat poll</c>, the DICOMweb source adapter (§4.4.3 交换桥接): each round asks the PACS by QIDO-RS for the studies
/// of a study-date window with their instance counts, fetches by WADO-RS the metadata of every study that is new or has
/// more instances than were fed, adds the PACS's study URL as Retrieve URL (so the catalogue's online resource link
/// points at the source), and pushes the instances to the node as DICOM JSON. A study counts as fed once the node
/// stored every instance; the state file records it, so an interrupted run resumes, and a study fed twice is stored
/// once (the node is idempotent by SOP Instance UID).
/// </summary>
public sealed class PollCommand(PollOptions options, TextWriter output) : IDisposable
{
    private const string StudyUid = "0020000D", StudyDate = "00080020", Instances = "00201208", RetrieveUrl = "00081190", Failed = "00081198",
        SopInstance = "00081155", Reason = "00081197";
    private const int PageSize = 100;

    private readonly HttpClient _pacs = Client(options.Pacs, options.PacsUser, options.PacsPassword);
    private readonly HttpClient _node = Client(options.Node.Node, null, null);
    private readonly StowClient _tokens = new(options.Node);

    public sealed record Round(int Studies, int Fed, int Failed, string? Fatal);

    public async Task<int> RunAsync(CancellationToken stop)
    {
        output.WriteLine($"轮询 polling {options.Pacs} → {options.Node.Node}api/registration/instances/json；状态 state {options.State}");
        while (true)
        {
            var round = await RoundAsync(stop);
            if (options.Once) return round.Fatal is not null ? ExitCodes.Fatal : round.Failed > 0 ? ExitCodes.Failures : ExitCodes.Ok;
            await Task.Delay(options.Interval, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested) return ExitCodes.Ok;
        }
    }

    public async Task<Round> RoundAsync(CancellationToken stop)
    {
        var state = PollState.Load(options.State);
        var started = DateOnly.FromDateTime(DateTime.Now);
        var startedAt = DateTimeOffset.UtcNow;
        // The study-date window catches new studies; a full scan now and then catches late ones with older dates.
        var full = state.Watermark is null || state.LastFullScan is not { } last || startedAt - last >= options.FullScan;
        var from = full ? options.Since : state.Watermark!.Value.AddDays(-(int)options.Overlap.TotalDays);
        int studies = 0, fed = 0, failed = 0;
        try
        {
            for (var offset = 0; !stop.IsCancellationRequested; offset += PageSize)
            {
                var page = await QueryAsync(from, offset, stop);
                foreach (var study in page)
                {
                    studies++;
                    var uid = Text(study, StudyUid);
                    if (uid is null) continue;
                    var count = study[Instances]?["Value"]?[0]?.GetValue<int>() ?? -1;
                    if (state.Studies.TryGetValue(uid, out var seen) && count >= 0 && seen.Instances >= count) continue;
                    var refused = await FeedAsync(uid, stop);
                    if (refused.Count == 0)
                    {
                        state.Studies[uid] = new PollState.Study(count, Text(study, StudyDate));
                        state.Save(options.State);
                        fed++;
                        continue;
                    }
                    failed++;
                    output.WriteLine($"检查 study {uid}: 节点拒绝 {refused.Count} 个实例 the node refused {refused.Count} instances, tried again next round:");
                    foreach (var r in refused) output.WriteLine($"  {r}");
                }
                if (page.Count < PageSize) break;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or StowClient.FatalException or JsonException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            var why = ex is StowClient.FatalException ? ex.Message : $"PACS 或节点不可用 the PACS or the node is not answering: {ex.Message}";
            output.WriteLine($"{why}\n已推送的检查已记入状态文件，下一轮继续 studies fed so far are recorded; the next round goes on.");
            return new Round(studies, fed, failed, why);
        }
        // Only a round that saw every study moves the window: the next one starts from here, minus the overlap.
        if (failed == 0 && !stop.IsCancellationRequested)
        {
            state.Watermark = started;
            if (full) state.LastFullScan = startedAt;
        }
        state.Save(options.State);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.Now:HH:mm:ss} 检查 studies {studies}（{(full ? "全部 full scan" : "窗口 window")}, 自 since {(from is { } f ? f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "最早 the first")}）: 推送 fed {fed}, 失败 failed {failed}"));
        return new Round(studies, fed, failed, null);
    }

    // QIDO-RS: the studies of the window (StudyDate from the date on, or all), with their number of instances.
    private async Task<List<JsonNode>> QueryAsync(DateOnly? from, int offset, CancellationToken ct)
    {
        var query = $"studies?includefield={Instances}&limit={PageSize}&offset={offset}"
            + (from is { } d ? $"&StudyDate={d.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-" : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        using var response = await _pacs.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NoContent) return [];
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"QIDO-RS {query}: HTTP {(int)response.StatusCode}");
        var body = await response.Content.ReadAsStringAsync(ct);
        return body.Length == 0 ? [] : [.. JsonNode.Parse(body)!.AsArray().OfType<JsonNode>()];
    }

    // WADO-RS metadata of the study, with its Retrieve URL, pushed as DICOM JSON; the instances the node refused.
    private async Task<List<string>> FeedAsync(string uid, CancellationToken ct)
    {
        var studyUrl = new Uri(options.Pacs, $"studies/{uid}");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"studies/{uid}/metadata");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        using var response = await _pacs.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"WADO-RS studies/{uid}/metadata: HTTP {(int)response.StatusCode}");
        var instances = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsArray();
        foreach (var instance in instances.OfType<JsonObject>())
            instance[RetrieveUrl] ??= new JsonObject { ["vr"] = "UR", ["Value"] = new JsonArray(studyUrl.AbsoluteUri) };
        var answer = await PushAsync(Encoding.UTF8.GetBytes(instances.ToJsonString()), ct);
        return [.. (answer?[Failed]?["Value"]?.AsArray() ?? []).OfType<JsonNode>().Select(f =>
            $"{Text(f, SopInstance) ?? "?"}: 0x{(f[Reason]?["Value"]?[0]?.GetValue<int>() ?? 0).ToString("X4", CultureInfo.InvariantCulture)}")];
    }

    private async Task<JsonNode?> PushAsync(byte[] json, CancellationToken ct)
    {
        var renewed = false;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/registration/instances/json") { Content = new ByteArrayContent(json) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom+json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.TokenAsync(false, ct));
            using var response = await _node.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized when !renewed:
                    renewed = true;
                    await _tokens.TokenAsync(true, ct);
                    continue;
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new StowClient.FatalException($"节点拒绝推送 the node refused the push ({(int)response.StatusCode}): the token must carry the adapter role.");
                case HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout when attempt < 4:
                    await Task.Delay(TimeSpan.FromSeconds(attempt * 2), ct);
                    continue;
            }
            // 200 all stored, 202 some refused, 409 all refused: each a store response naming the refused instances.
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict) return body.Length == 0 ? null : JsonNode.Parse(body);
            throw new HttpRequestException($"节点 node: HTTP {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        }
    }

    private static string? Text(JsonNode? item, string tag) => item?[tag]?["Value"]?[0]?.GetValue<string>();

    private static HttpClient Client(Uri baseAddress, string? user, string? password)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        if (user is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http;
    }

    public void Dispose()
    {
        _pacs.Dispose();
        _node.Dispose();
        _tokens.Dispose();
    }
}
