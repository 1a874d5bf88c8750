using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedImaging.Dicom;

namespace MedImaging.Cli.Push;

/// <summary>
/// Talks to one node: a client-credentials token from <c>/connect/token</c> (or the given one), then STOW-RS batches
/// to <c>/dicomweb/studies</c>, each file streamed from disk as one <c>application/dicom</c> part. The store response
/// (DICOM JSON) says per SOP Instance UID what was stored and what failed; the acquisition log named by
/// <c>X-Acquisition-Batch</c> adds the server's words for each failure.
/// </summary>
public sealed class StowClient(PushOptions options) : IDisposable
{
    private const string Referenced = "00081199", Failed = "00081198", SopInstance = "00081155", Reason = "00081197";

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = options.Concurrency,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    })
    { BaseAddress = options.Node, Timeout = TimeSpan.FromMinutes(30) };
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private string? _token = options.Token;
    private DateTimeOffset _tokenExpires = options.Token is null ? DateTimeOffset.MinValue : DateTimeOffset.MaxValue;

    /// <summary>Thrown when going on is pointless: no token, refused token, node unreachable.</summary>
    public sealed class FatalException(string message, Exception? inner = null) : Exception(message, inner);

    public async Task<string> TokenAsync(bool renew, CancellationToken ct)
    {
        await _tokenGate.WaitAsync(ct);
        try
        {
            if (_token is not null && !renew && DateTimeOffset.UtcNow < _tokenExpires) return _token;
            if (options.ClientId is null) throw new FatalException("令牌被拒绝 the node refused the token given with --token (expired, or not an adapter's).");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = options.ClientId, ["client_secret"] = options.ClientSecret!,
            });
            HttpResponseMessage response;
            try
            {
                response = await _http.PostAsync("connect/token", form, ct);
            }
            catch (HttpRequestException ex)
            {
                throw new FatalException($"无法连接节点 cannot reach {options.Node}connect/token: {ex.Message}", ex);
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                    throw new FatalException($"获取令牌失败 token request refused ({(int)response.StatusCode}): {Shorten(body)}");
                var json = JsonNode.Parse(body);
                _token = json?["access_token"]?.GetValue<string>() ?? throw new FatalException("令牌响应无 access_token the token response has no access_token.");
                var lifetime = json["expires_in"]?.GetValue<int>() ?? 3600;
                _tokenExpires = DateTimeOffset.UtcNow.AddSeconds(Math.Max(30, lifetime - 60));
                return _token;
            }
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    /// <summary>Sends one batch (with retries of transient failures) and says what became of each file.</summary>
    public async Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<SourceFile> files, CancellationToken ct)
    {
        var sops = files.Select(f => SopInstanceUidOf(f.FullPath)).ToArray();
        var renewed = false;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "dicomweb/studies") { Content = Multipart(files) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(false, ct));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
            // A server that refuses the size (413) answers before the body is sent; without this the refusal arrives
            // while the client is still writing and shows up only as a broken connection.
            request.Headers.ExpectContinue = true;
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, ct);
            }
            catch (HttpRequestException ex) when (attempt < 4)
            {
                _ = ex;
                await Task.Delay(TimeSpan.FromSeconds(attempt * 2), ct);
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw new FatalException($"无法连接节点 cannot reach {options.Node}dicomweb/studies: {ex.Message}", ex);
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Unauthorized when !renewed:
                        renewed = true;
                        await TokenAsync(true, ct);
                        continue;
                    case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                        throw new FatalException($"节点拒绝推送 the node refused the push ({(int)response.StatusCode}): the token must carry the adapter role. {Shorten(body)}");
                    case HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway
                        or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError when attempt < 4:
                        var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(attempt * 2);
                        await Task.Delay(wait < TimeSpan.FromMinutes(2) ? wait : TimeSpan.FromMinutes(2), ct);
                        continue;
                    case HttpStatusCode.RequestEntityTooLarge:
                        var size = request.Content?.Headers.ContentLength;
                        return [.. files.Select((f, i) => new StoreOutcome(f, sops[i], false, null,
                            $"HTTP 413 请求过大 request too large: the batch ({size} bytes, {files.Count} files) exceeds the node's request size limit. {Shorten(body)}",
                            StoreOutcome.PayloadTooLarge))];
                    // A body that broke off (400) may have stored a prefix; sending the batch again is idempotent.
                    case HttpStatusCode.BadRequest when attempt < 2 && body.Contains("Instances stored before the error", StringComparison.Ordinal):
                        continue;
                }
                var isStoreResponse = response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict
                    && response.Content.Headers.ContentType?.MediaType is "application/dicom+json" or "application/json";
                if (!isStoreResponse)
                    return [.. files.Select((f, i) => new StoreOutcome(f, sops[i], false, null, $"HTTP {(int)response.StatusCode}: {Shorten(body)}"))];
                var outcomes = Match(files, sops, JsonNode.Parse(body));
                if (outcomes.Any(o => !o.Succeeded) && response.Headers.TryGetValues("X-Acquisition-Batch", out var ids))
                    outcomes = await AddDetailsAsync(outcomes, ids.First(), ct);
                return outcomes;
            }
        }
    }

    /// <summary>Outcomes by SOP Instance UID; a failure the server could not name (unreadable part) goes to the first
    /// file without an answer, which keeps the order of the parts.</summary>
    private static List<StoreOutcome> Match(IReadOnlyList<SourceFile> files, string?[] sops, JsonNode? response)
    {
        var stored = Items(response, Referenced).Select(i => Text(i, SopInstance)).Where(s => !string.IsNullOrEmpty(s)).ToHashSet(StringComparer.Ordinal);
        var failed = Items(response, Failed).Select(i => (Sop: Text(i, SopInstance), Code: (ushort?)(i[Reason]?["Value"]?[0]?.GetValue<int>()))).ToList();
        var anonymous = new Queue<ushort?>(failed.Where(f => string.IsNullOrEmpty(f.Sop)).Select(f => f.Code));
        var outcomes = new List<StoreOutcome>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var sop = sops[i];
            var failure = sop is null ? default : failed.FirstOrDefault(f => f.Sop == sop);
            if (failure.Sop is not null) outcomes.Add(new StoreOutcome(files[i], sop, false, failure.Code, null));
            else if (sop is not null && stored.Contains(sop)) outcomes.Add(new StoreOutcome(files[i], sop, true, null, null));
            else if (anonymous.Count > 0) outcomes.Add(new StoreOutcome(files[i], sop, false, anonymous.Dequeue(), null));
            else outcomes.Add(new StoreOutcome(files[i], sop, false, null, "存储响应中没有该实例 the store response does not mention this instance"));
        }
        return outcomes;
    }

    // The acquisition log numbers items by part order (1-based) and pages them ({ batch, items: { items, page,
    // pageSize, total } }). Reached through the gateway (/api/registration/…), or directly when --node names the
    // Registration host itself.
    private async Task<List<StoreOutcome>> AddDetailsAsync(List<StoreOutcome> outcomes, string batchId, CancellationToken ct)
    {
        foreach (var path in new[] { $"api/registration/acquisitions/{batchId}", $"acquisitions/{batchId}" })
        {
            try
            {
                var details = new Dictionary<int, string>();
                var found = false;
                for (var page = 1; ; page++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?page={page}&pageSize={DetailPageSize}");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(false, ct));
                    using var response = await _http.SendAsync(request, ct);
                    if (!response.IsSuccessStatusCode) break;
                    var items = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["items"];
                    if (items?["items"]?.AsArray() is not { } list) break;
                    found = true;
                    foreach (var i in list.Where(i => i?["detail"] is not null))
                        details[i!["ordinal"]!.GetValue<int>()] = i["detail"]!.GetValue<string>();
                    if (list.Count == 0 || page * DetailPageSize >= (items["total"]?.GetValue<int>() ?? 0)) break;
                }
                if (!found) continue;
                return [.. outcomes.Select((o, i) => !o.Succeeded && o.Detail is null && details.TryGetValue(i + 1, out var d) ? o with { Detail = d } : o)];
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException)
            {
                // the reasons are an addition; the codes from the store response stand
            }
        }
        return outcomes;
    }

    // The largest page the services serve (PageQuery.MaxPageSize).
    private const int DetailPageSize = 500;

    private static MultipartContent Multipart(IReadOnlyList<SourceFile> files)
    {
        var content = new MultipartContent("related", "medcat-" + Guid.NewGuid().ToString("N"));
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var f in files)
        {
            var stream = new FileStream(f.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var part = new StreamContent(stream, 64 * 1024);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            content.Add(part);
        }
        return content;
    }

    /// <summary>The SOP Instance UID as the file states it (metadata only), or null when it cannot be read here.</summary>
    public static string? SopInstanceUidOf(string path)
    {
        try
        {
            return DicomFile.Open(path, DicomReaderOptions.MetadataOnly).Dataset.GetString(DicomTags.SOPInstanceUID);
        }
        catch (Exception ex) when (ex is DicomReadException or EndOfStreamException or IOException or FormatException or InvalidDataException
                                       or NotSupportedException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    private static IEnumerable<JsonNode> Items(JsonNode? response, string tag)
        => response?[tag]?["Value"]?.AsArray().Where(i => i is not null).Select(i => i!) ?? [];

    private static string? Text(JsonNode item, string tag) => item[tag]?["Value"]?[0]?.GetValue<string>();

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";

    public void Dispose()
    {
        _http.Dispose();
        _tokenGate.Dispose();
    }
}
