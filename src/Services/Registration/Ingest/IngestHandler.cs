using System.Text.Json;
using MedImaging.Contracts.Audit;
using MedImaging.Registration.Auditing;
using MedImaging.Registration.Domain;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Logging;
using Microsoft.Extensions.Options;

namespace MedImaging.Registration.Ingest;

/// <summary>Where a request's reader hands each instance (or each part it could not read).</summary>
public interface IIngestSink
{
    Task AcceptAsync(IncomingInstance instance);

    Task RejectAsync(ushort reason, string detail, long sizeBytes, string? sopClassUid = null, string? sopInstanceUid = null);
}

/// <summary>
/// One request = one acquisition batch: prepares what the reader hands over instance by instance and passes it to the
/// <see cref="IngestWriter"/> in units (the last one closes the batch), then writes the store response once all of it
/// is committed. A body that breaks off mid-way is a 400; what was received before is stored and the batch says so.
/// </summary>
public sealed class IngestHandler(InstancePreparer preparer, IngestWriter writer, IngestClassifier classifier, ILogger<IngestHandler> logger)
{
    public const string BatchHeader = "X-Acquisition-Batch";

    /// <summary>Instances a request hands to the writer at a time; a request of up to this many is one unit, one commit.</summary>
    public const int UnitSize = 64;

    public async Task<IResult> RunAsync(HttpContext http, AcquisitionChannel channel, string? study, Func<IIngestSink, CancellationToken, Task> read)
    {
        var ct = http.RequestAborted;
        var adapter = Adapter(http);
        var batch = new AcquisitionBatch { Adapter = adapter, Channel = channel, TargetStudyUid = study };
        http.Response.Headers[BatchHeader] = batch.Id.ToString();
        var maxParts = http.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value.MaxPartsPerRequest;
        var sink = new Sink(batch, preparer, writer, maxParts, BatchAudit(http, batch));
        string? malformed = null;
        var status = StatusCodes.Status400BadRequest;
        var tooManyParts = false;
        try
        {
            await read(sink, ct);
            if (sink.Received == 0) malformed = "The request contains no instances.";
        }
        catch (PartLimitExceededException ex)
        {
            logger.LogWarning("Batch {BatchId} from {Adapter}: more than {Limit} parts; the rest of the request was refused", batch.Id, adapter, ex.Limit);
            (malformed, status, tooManyParts) = (ex.Message, StatusCodes.Status413PayloadTooLarge, true);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or BadHttpRequestException)
        {
            logger.LogWarning("Batch {BatchId} from {Adapter}: malformed body after {Count} instances: {Error}", batch.Id, adapter, sink.Received, ex.Message);
            malformed = ex.Message;
            // Over the node file's ingest.maxRequestBytes (ADR 0018): say 413, as the gateway does, not "malformed".
            if (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }) status = StatusCodes.Status413PayloadTooLarge;
        }
        // Not the request's token: a client that hung up must still leave a closed batch behind.
        var results = await sink.CloseAsync(malformed);
        await classifier.ClassifyPendingAsync(results.Where(r => r.Succeeded).Select(r => r.StudyInstanceUid), CancellationToken.None);
        if (malformed is not null)
            return TypedResults.Problem(title: status != StatusCodes.Status413PayloadTooLarge ? "Malformed request body"
                    : tooManyParts ? "Too many parts in one request" : "Request too large",
                statusCode: status, detail: $"{malformed} Instances stored before the error: {results.Count(r => r.Succeeded)}.",
                extensions: tooManyParts
                    ? new Dictionary<string, object?> { ["batchId"] = batch.Id, ["maxPartsPerRequest"] = maxParts, ["correlationId"] = CorrelationContext.Current }
                    : new Dictionary<string, object?> { ["batchId"] = batch.Id, ["correlationId"] = CorrelationContext.Current });

        var studies = results.Where(r => r.Succeeded).Select(r => r.StudyInstanceUid).Distinct().ToList();
        var studyUrl = studies.Count == 1 ? results.First(r => r.Succeeded).RetrieveUrl is { } url ? StudyPart(url, studies[0]!) : null : null;
        await StoreResponse.WriteAsync(http, results, studyUrl);
        return Results.Empty;
    }

    /// <summary>
    /// A request refused before any part was read (wrong media type, no boundary) still leaves a closed batch in the
    /// acquisition log, so the hospital's IT staff see the attempt and the reason, not only their PACS's "400".
    /// </summary>
    public async Task<IResult> RefuseAsync(HttpContext http, AcquisitionChannel channel, string? study, int status, string title, string detail)
    {
        var batch = new AcquisitionBatch { Adapter = Adapter(http), Channel = channel, TargetStudyUid = study };
        http.Response.Headers[BatchHeader] = batch.Id.ToString();
        logger.LogWarning("Batch {BatchId} from {Adapter} refused: {Detail}", batch.Id, batch.Adapter, detail);
        await new Sink(batch, preparer, writer, 0, BatchAudit(http, batch)).CloseAsync(detail);
        return TypedResults.Problem(title: title, statusCode: status, detail: detail,
            extensions: new Dictionary<string, object?> { ["batchId"] = batch.Id, ["correlationId"] = CorrelationContext.Current });
    }

    /// <summary>
    /// The request's one audit record (issue 11: per batch, not per instance), made here where the caller is known and
    /// completed by the commit that closes the batch, in its transaction.
    /// </summary>
    private static AuditEventRecorded BatchAudit(HttpContext http, AcquisitionBatch batch)
    {
        var host = http.RequestServices.GetRequiredService<ServiceHostContext>();
        return AuditEvents.For(http, AuditActions.IngestBatch, new AuditResource
        {
            Kind = RegistrationAudit.BatchKind, Id = batch.Id.ToString(), Institution = host.Node?.Adapters.GetValueOrDefault(batch.Adapter)?.Institution,
        }, details: new Dictionary<string, string> { ["channel"] = batch.Channel.ToString() });
    }

    /// <summary>The adapter a batch is logged under: the OAuth client, else the token subject.</summary>
    public static string Adapter(HttpContext http) => http.User.FindFirst("client_id")?.Value ?? http.User.FindFirst("sub")?.Value ?? "unknown";

    private static string StudyPart(string instanceUrl, string study)
    {
        var i = instanceUrl.IndexOf("/studies/" + study, StringComparison.Ordinal);
        return i < 0 ? instanceUrl : instanceUrl[..(i + "/studies/".Length + study.Length)];
    }

    // One unit in flight while the next is read and prepared; results come back in ordinal order.
    private sealed class Sink(AcquisitionBatch batch, InstancePreparer preparer, IngestWriter writer, int maxParts, AuditEventRecorded audit) : IIngestSink
    {
        private readonly List<InstanceResult> _results = [];
        private List<IngestOp> _pending = [];
        private Task<IReadOnlyList<InstanceResult>>? _inFlight;

        public int Received { get; private set; }

        public async Task AcceptAsync(IncomingInstance instance)
        {
            CheckLimit();
            var (prepared, failure) = preparer.Prepare(++Received, instance, batch.Adapter, batch.TargetStudyUid);
            await AddAsync(new IngestOp(prepared, failure));
        }

        public Task RejectAsync(ushort reason, string detail, long sizeBytes, string? sopClassUid = null, string? sopInstanceUid = null)
        {
            CheckLimit();
            return AddAsync(new IngestOp(null, InstanceResult.Failed(++Received, reason, detail, sizeBytes, sopClassUid, sopInstanceUid)));
        }

        private void CheckLimit()
        {
            if (Received >= maxParts) throw new PartLimitExceededException(maxParts);
        }

        private async Task AddAsync(IngestOp op)
        {
            _pending.Add(op);
            if (_pending.Count < UnitSize) return;
            await DrainAsync();
            _inFlight = writer.EnqueueAsync(new IngestUnit(batch, _pending, null));
            _pending = [];
        }

        public async Task<IReadOnlyList<InstanceResult>> CloseAsync(string? error)
        {
            await DrainAsync();
            _results.AddRange(await writer.EnqueueAsync(new IngestUnit(batch, _pending, new BatchClose([.. _results], error, audit))));
            _pending = [];
            return _results;
        }

        private async Task DrainAsync()
        {
            if (_inFlight is null) return;
            _results.AddRange(await _inFlight);
            _inFlight = null;
        }
    }
}

/// <summary>A request carried more parts than <see cref="IngestOptions.MaxPartsPerRequest"/>; what came before the limit is processed.</summary>
public sealed class PartLimitExceededException(int limit)
    : Exception($"The request has more than {limit} parts; one request may carry at most {limit} (Registration:Ingest:MaxPartsPerRequest). Send the rest in further requests.")
{
    public int Limit { get; } = limit;
}
