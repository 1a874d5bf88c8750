using System.Text;
using System.Xml.Linq;
using MedImaging.Directory.Csw;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Directory.Apis;

/// <summary>
/// OGC CSW 2.0.2 (07-006r1) at <c>/csw</c> (through the gateway <c>/api/directory/csw</c>): GET key-value pairs and
/// POST XML; GetCapabilities, DescribeRecord, GetRecords, GetRecordById. Errors are OWS ExceptionReports (ADR 0027).
/// </summary>
public static class CswApi
{
    public const string Path = "/csw";

    public static IEndpointRouteBuilder MapCswApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Get).WithTags("CSW").WithName("CswGet")
            .WithSummary("OGC CSW 2.0.2, key-value-pair encoding (service=CSW&request=…)").RequireAuthorization(Policies.Discover);
        app.MapPost(Path, Post).WithTags("CSW").WithName("CswPost")
            .WithSummary("OGC CSW 2.0.2, XML encoding (csw:GetRecords …)").Accepts<string>("application/xml", "text/xml")
            .RequireAuthorization(Policies.Discover);
        return app;
    }

    public static Task<IResult> Get(HttpContext http, CancellationToken ct) => AnswerAsync(http, () => Task.FromResult(KvpRequestReader.Read(http.Request.Query)), ct);

    public static Task<IResult> Post(HttpContext http, CancellationToken ct) =>
        AnswerAsync(http, async () => XmlRequestReader.Read(await SafeXml.LoadAsync(http.Request.Body, ct)), ct);

    private static async Task<IResult> AnswerAsync(HttpContext http, Func<Task<CswRequest>> read, CancellationToken ct)
    {
        try
        {
            var request = await read();
            var catalog = http.RequestServices.GetRequiredService<CswCatalog>();
            var document = request switch
            {
                GetCapabilitiesRequest c => CapabilitiesDocument.Write(http.RequestServices.GetRequiredService<ServiceHostContext>().Node, Endpoint(http), c.Sections),
                DescribeRecordRequest => DescribeRecordDocument.Write(),
                GetRecordsRequest g => await catalog.GetRecordsAsync(g, http, ct),
                GetRecordByIdRequest g => await catalog.GetRecordByIdAsync(g, http, ct),
                _ => throw new CswException(OwsExceptionCodes.OperationNotSupported, "request", "Unsupported request."),
            };
            return Xml(document, StatusCodes.Status200OK);
        }
        catch (CswException e)
        {
            // OWS 1.0 (05-008 §8.6): an exception report; 400 for the caller's mistakes, as OWS 1.1's HTTP binding maps them.
            var status = e.Code == OwsExceptionCodes.NoApplicableCode ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            return Xml(e.Report(), status);
        }
    }

    /// <summary>The operation URL as the caller reached it: the gateway's host (X-Forwarded-Host) and prefix (X-Forwarded-Prefix).</summary>
    private static string Endpoint(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{Path}";

    private static IResult Xml(XDocument document, int status)
    {
        var sb = new StringBuilder();
        using (var writer = new Utf8StringWriter(sb)) document.Save(writer, SaveOptions.DisableFormatting);
        return Results.Content(sb.ToString(), "application/xml; charset=utf-8", Encoding.UTF8, status);
    }

    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, System.Globalization.CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
