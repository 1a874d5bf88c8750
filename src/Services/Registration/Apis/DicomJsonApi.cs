using System.Text.Json;
using MedImaging.Dicom;
using MedImaging.Registration.Domain;
using MedImaging.Registration.Ingest;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace MedImaging.Registration.Apis;

/// <summary>
/// Metadata push in the DICOM JSON model (PS3.18 Annex F): one instance object, or an array of them (a study
/// bundle). Array elements are read one at a time from the body; the response is the same store response as STOW-RS.
/// </summary>
public static class DicomJsonApi
{
    public static IEndpointRouteBuilder MapDicomJsonApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/instances/json", PushAsync).WithTags("Ingest").RequireAuthorization(Policies.Ingest)
            .WithName("PushDicomJson").WithSummary("Push instance metadata as DICOM JSON (one object or an array)")
            // Read by hand, element by element. Declared for the API document only, not with Accepts(): routing would answer
            // any other Content-Type 415 before the handler, and the refused request would leave no batch and no audit record.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { [StoreResponse.DicomJson] = new(), ["application/json"] = new() },
                };
                return Task.CompletedTask;
            });
        return app;
    }

    public static async Task<IResult> PushAsync(HttpContext http, IngestHandler handler, IOptions<IngestOptions> options)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = options.Value.MaxRequestBytes;
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals(StoreResponse.DicomJson, StringComparison.OrdinalIgnoreCase)
                 || mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)))
            // Through the handler, as STOW-RS does: the refused request leaves a closed batch and its audit record.
            return await handler.RefuseAsync(http, AcquisitionChannel.DicomJson, null, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Content-Type '{http.Request.ContentType}' is not application/dicom+json.");
        return await handler.RunAsync(http, AcquisitionChannel.DicomJson, null, (sink, ct) => ReadAsync(http, options.Value, sink, ct));
    }

    private static async Task ReadAsync(HttpContext http, IngestOptions options, IIngestSink sink, CancellationToken ct)
    {
        var body = http.Request.BodyReader;
        // Peek at the first significant byte without consuming it: '[' is a bundle, '{' one instance.
        byte first;
        while (true)
        {
            var read = await body.ReadAsync(ct);
            var seq = read.Buffer;
            var significant = FirstSignificant(seq);
            if (significant is { } b) { first = b; body.AdvanceTo(seq.Start); break; }
            if (read.IsCompleted) throw new JsonException("The body is empty.");
            body.AdvanceTo(seq.Start, seq.End);
        }
        var stream = body.AsStream();
        if (first == (byte)'[')
        {
            await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: ct))
                await OneAsync(element, options, sink);
        }
        else await OneAsync(await JsonSerializer.DeserializeAsync<JsonElement>(stream, cancellationToken: ct), options, sink);
    }

    private static byte? FirstSignificant(System.Buffers.ReadOnlySequence<byte> seq)
    {
        foreach (var segment in seq)
            foreach (var b in segment.Span)
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)) return b;
        return null;
    }

    private static async Task OneAsync(JsonElement element, IngestOptions options, IIngestSink sink)
    {
        // The element's own UTF-8 bytes, counted without copying them into a string.
        var bytes = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).Length;
        if (bytes > options.MaxPartBytes)
        {
            await sink.RejectAsync(StoreStatus.OutOfResources, $"instance exceeds the per-instance limit of {options.MaxPartBytes} bytes", bytes);
            return;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            await sink.RejectAsync(StoreStatus.CannotUnderstand, $"array element is a JSON {element.ValueKind}, not a DICOM JSON object", bytes);
            return;
        }
        DicomDataset dataset;
        try
        {
            dataset = DicomJsonReader.Read(element);
        }
        catch (DicomReadException ex)
        {
            await sink.RejectAsync(StoreStatus.CannotUnderstand, $"not a valid DICOM JSON dataset: {ex.Message}", bytes);
            return;
        }
        await sink.AcceptAsync(new IncomingInstance(dataset, bytes, null, null));
    }
}
