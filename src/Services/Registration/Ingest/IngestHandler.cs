using System.Text.Json;
using MedImaging.Registration.Domain;
using MedImaging.ServiceDefaults.Logging;

namespace MedImaging.Registration.Ingest;

/// <summary>Where a request's reader hands each instance (or each part it could not read).</summary>
public interface IIngestSink
{
    Task AcceptAsync(IncomingInstance instance);

    Task RejectAsync(ushort reason, string detail, long sizeBytes, string? sopClassUid = null, string? sopInstanceUid = null);
}

/// <summary>
/// One request = one acquisition batch: opens the batch, stores what the reader hands over instance by instance,
/// closes the batch and writes the store response. A body that breaks off mid-way is a 400; what was stored before
/// stays stored and the batch says so.
/// </summary>
public sealed class IngestHandler(AcquisitionLog log, InstanceIngestor ingestor, ILogger<IngestHandler> logger)
{
    public const string BatchHeader = "X-Acquisition-Batch";

    public async Task<IResult> RunAsync(HttpContext http, AcquisitionChannel channel, string? study, Func<IIngestSink, CancellationToken, Task> read)
    {
        var ct = http.RequestAborted;
        var adapter = Adapter(http);
        var batch = await log.OpenAsync(adapter, channel, study, ct);
        http.Response.Headers[BatchHeader] = batch.Id.ToString();
        var sink = new Sink(batch, ingestor, ct);
        string? malformed = null;
        try
        {
            await read(sink, ct);
            if (sink.Results.Count == 0) malformed = "The request contains no instances.";
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or BadHttpRequestException)
        {
            logger.LogWarning("Batch {BatchId} from {Adapter}: malformed body after {Count} instances: {Error}", batch.Id, adapter, sink.Results.Count, ex.Message);
            malformed = ex.Message;
        }
        await log.CloseAsync(batch, sink.Results, malformed);
        if (malformed is not null)
            return TypedResults.Problem(title: "Malformed request body", statusCode: StatusCodes.Status400BadRequest,
                detail: $"{malformed} Instances stored before the error: {sink.Results.Count(r => r.Succeeded)}.",
                extensions: new Dictionary<string, object?> { ["batchId"] = batch.Id, ["correlationId"] = CorrelationContext.Current });

        var studies = sink.Results.Where(r => r.Succeeded).Select(r => r.StudyInstanceUid).Distinct().ToList();
        var studyUrl = studies.Count == 1 ? sink.Results.First(r => r.Succeeded).RetrieveUrl is { } url ? StudyPart(url, studies[0]!) : null : null;
        await StoreResponse.WriteAsync(http, sink.Results, studyUrl);
        return Results.Empty;
    }

    /// <summary>The adapter a batch is logged under: the OAuth client, else the token subject.</summary>
    public static string Adapter(HttpContext http) => http.User.FindFirst("client_id")?.Value ?? http.User.FindFirst("sub")?.Value ?? "unknown";

    private static string StudyPart(string instanceUrl, string study)
    {
        var i = instanceUrl.IndexOf("/studies/" + study, StringComparison.Ordinal);
        return i < 0 ? instanceUrl : instanceUrl[..(i + "/studies/".Length + study.Length)];
    }

    private sealed class Sink(AcquisitionBatch batch, InstanceIngestor ingestor, CancellationToken ct) : IIngestSink
    {
        public List<InstanceResult> Results { get; } = [];

        public async Task AcceptAsync(IncomingInstance instance)
            => Results.Add(await ingestor.StoreAsync(batch, Results.Count + 1, instance, ct));

        public async Task RejectAsync(ushort reason, string detail, long sizeBytes, string? sopClassUid = null, string? sopInstanceUid = null)
            => Results.Add(await ingestor.LogFailureAsync(batch,
                InstanceResult.Failed(Results.Count + 1, reason, detail, sizeBytes, sopClassUid, sopInstanceUid), ct));
    }
}
