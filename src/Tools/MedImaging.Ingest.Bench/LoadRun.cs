using System.Diagnostics;
using System.Net.Http.Headers;

namespace MedImaging.Ingest.Bench;

/// <summary>One measured upload: what was sent, the sustained rate after the warm-up, latencies and failures.</summary>
public sealed record LoadResult(string Target, int PerRequest, int Instances, int Measured, double Seconds, double Rate,
    double P50Ms, double P95Ms, int Failures, string? FirstFailure)
{
    /// <summary>Which round of the run (1-based); each round sends fresh instances.</summary>
    public int Round { get; init; } = 1;
}

/// <summary>
/// <see cref="Concurrency"/> streams over keep-alive connections, each taking the next request's instances from a
/// shared list, until all are sent. The rate counts instances acknowledged after the first <c>warmup</c> ones, over the
/// time from that moment to the last answer.
/// </summary>
public sealed class LoadRun(int concurrency)
{
    public int Concurrency => concurrency;

    public static HttpClient Client(Uri baseAddress, int concurrency) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false, // loopback only, whatever http_proxy says
    })
    { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };

    public async Task<LoadResult> RunAsync(string target, HttpClient http, IReadOnlyList<byte[]> instances, int perRequest, int warmup,
        Func<byte[][], HttpRequestMessage> request, Func<HttpResponseMessage, string, string?> failure, CancellationToken ct)
    {
        var chunks = instances.Chunk(perRequest).ToArray();
        var latencies = new double[chunks.Length];
        var next = -1;
        var done = 0;
        var failures = 0;
        string? firstFailure = null;
        long markTicks = 0, lastTicks = 0;
        var markDone = 0;
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < chunks.Length && !ct.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                string? problem;
                try
                {
                    using var message = request(chunks[i]);
                    using var response = await http.SendAsync(message, ct);
                    problem = failure(response, await response.Content.ReadAsStringAsync(ct));
                }
                catch (HttpRequestException ex)
                {
                    problem = ex.Message;
                }
                latencies[i] = (clock.Elapsed - started).TotalMilliseconds;
                if (problem is not null)
                {
                    Interlocked.Add(ref failures, chunks[i].Length);
                    Interlocked.CompareExchange(ref firstFailure, problem, null);
                }
                var total = Interlocked.Add(ref done, chunks[i].Length);
                var now = clock.ElapsedTicks;
                if (total >= warmup && Interlocked.CompareExchange(ref markTicks, now, 0) == 0) Volatile.Write(ref markDone, total);
                InterlockedMax(ref lastTicks, now);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
        ct.ThrowIfCancellationRequested();
        var seconds = (lastTicks - markTicks) / (double)Stopwatch.Frequency;
        var measured = done - markDone;
        Array.Sort(latencies);
        return new LoadResult(target, perRequest, done, measured, seconds, seconds > 0 ? measured / seconds : 0,
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), failures, firstFailure);
    }

    public static HttpRequestMessage Stow(byte[][] parts, string token) => Stow(parts, token, "dicomweb/studies");

    public static HttpRequestMessage Stow(byte[][] parts, string? token, string path)
    {
        var content = new MultipartContent("related", "bench-" + Guid.NewGuid().ToString("N"));
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var p in parts)
        {
            var part = new ByteArrayContent(p);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            content.Add(part);
        }
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (token is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        return message;
    }

    public static string? StowFailure(HttpResponseMessage response, string body)
        => response.StatusCode == System.Net.HttpStatusCode.OK && !body.Contains("\"00081198\"", StringComparison.Ordinal) ? null
            : $"HTTP {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}";

    /// <summary>
    /// A store response fails when it is not 200 or lists failed instances. Orthanc writes an empty
    /// FailedSOPSequence (0008,1198) on success, so the sequence's presence alone says nothing.
    /// </summary>
    public static string? StowResponseFailure(HttpResponseMessage response, string body)
    {
        if (response.StatusCode == System.Net.HttpStatusCode.OK)
        {
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(body);
                var root = doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array ? doc.RootElement[0] : doc.RootElement;
                var failed = root.TryGetProperty("00081198", out var f) && f.TryGetProperty("Value", out var v) && v.GetArrayLength() > 0;
                var stored = root.TryGetProperty("00081199", out var r) && r.TryGetProperty("Value", out var rv) && rv.GetArrayLength() > 0;
                if (!failed && stored) return null;
            }
            catch (System.Text.Json.JsonException)
            {
                // reported below
            }
        }
        return $"HTTP {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}";
    }

    public static HttpRequestMessage Orthanc(byte[][] parts)
    {
        var content = new ByteArrayContent(parts.Single());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        return new HttpRequestMessage(HttpMethod.Post, "instances") { Content = content };
    }

    public static string? OrthancFailure(HttpResponseMessage response, string body)
        => response.IsSuccessStatusCode && body.Contains("\"Success\"", StringComparison.Ordinal) ? null
            : $"HTTP {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}";

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
