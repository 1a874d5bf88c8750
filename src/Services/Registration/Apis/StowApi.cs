using MedImaging.Registration.Domain;
using MedImaging.Registration.Ingest;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MedImaging.Registration.Apis;

/// <summary>
/// STOW-RS (PS3.18 §10.5): adapters push Part-10 instances as <c>multipart/related; type="application/dicom"</c>. Each
/// part is spooled on its own and read metadata-only; the pixel data is not kept. Instances are stored by the
/// <see cref="IngestWriter"/> (group commit) and the response comes after their commit.
/// </summary>
public static class StowApi
{
    private const int MaxBoundaryLength = 256;

    public static IEndpointRouteBuilder MapStowApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/dicomweb/studies").WithTags("Ingest").RequireAuthorization(Policies.Ingest);
        g.MapPost("/", (HttpContext http, IngestHandler handler) => StoreAsync(http, handler, null))
            .WithName("StowStudies").WithSummary("Store instances (STOW-RS) of any study");
        g.MapPost("/{study}", (HttpContext http, IngestHandler handler, string study) => StoreAsync(http, handler, study))
            .WithName("StowStudy").WithSummary("Store instances (STOW-RS) of one study; others fail with 0xA900");
        return app;
    }

    public static async Task<IResult> StoreAsync(HttpContext http, IngestHandler handler, string? study)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = options.MaxRequestBytes;

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase))
            return await UnsupportedType(http, handler, study, $"Content-Type '{http.Request.ContentType}' is not multipart/related; type=\"application/dicom\".");
        var type = HeaderUtilities.RemoveQuotes(mediaType.Parameters.FirstOrDefault(p => p.Name.Equals("type", StringComparison.OrdinalIgnoreCase))?.Value ?? default);
        if (!type.Equals("application/dicom", StringComparison.OrdinalIgnoreCase))
            return await UnsupportedType(http, handler, study, $"multipart/related type '{type}' is not supported; this origin server accepts type=\"application/dicom\".");
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        // RFC 2046 caps a boundary at 70 characters, but Orthanc's DICOMweb client sends two UUIDs (73): accept what
        // real PACS send, and only refuse what no sane client would (the reader holds the boundary in memory).
        if (string.IsNullOrEmpty(boundary) || boundary.Length > MaxBoundaryLength)
            return await handler.RefuseAsync(http, AcquisitionChannel.StowRs, study, StatusCodes.Status400BadRequest, "Malformed request body",
                $"The multipart/related Content-Type has no boundary parameter, or one longer than {MaxBoundaryLength} characters.");

        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = null };
        return await handler.RunAsync(http, AcquisitionChannel.StowRs, study, (sink, ct) => ReadPartsAsync(reader, options, sink, ct));
    }

    private static async Task ReadPartsAsync(MultipartReader reader, IngestOptions options, IIngestSink sink, CancellationToken ct)
    {
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
        {
            if (section.ContentType is { } partType && MediaTypeHeaderValue.TryParse(partType, out var pt)
                && !pt.MediaType.Equals("application/dicom", StringComparison.OrdinalIgnoreCase))
            {
                await sink.RejectAsync(StoreStatus.CannotUnderstand, $"part Content-Type {pt.MediaType} is not application/dicom", 0);
                continue;
            }
            await using var spooled = await PartSpooler.SpoolAsync(section.Body, options.MaxPartBytes, options.PartMemoryThreshold, ct);
            if (spooled.Oversized)
            {
                await sink.RejectAsync(StoreStatus.OutOfResources, $"part exceeds the per-part limit of {options.MaxPartBytes} bytes", spooled.Length);
                continue;
            }
            var (instance, error) = Part10Parser.Parse(spooled.Content, spooled.Length, options.MaxPartBytes);
            if (instance is null) await sink.RejectAsync(StoreStatus.CannotUnderstand, error!, spooled.Length);
            else await sink.AcceptAsync(instance);
        }
    }

    private static Task<IResult> UnsupportedType(HttpContext http, IngestHandler handler, string? study, string detail)
        => handler.RefuseAsync(http, AcquisitionChannel.StowRs, study, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);

    internal static ProblemHttpResult Malformed(string detail)
        => TypedResults.Problem(title: "Malformed request body", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
