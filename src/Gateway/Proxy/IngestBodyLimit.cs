using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace MedImaging.Gateway.Proxy;

/// <summary>
/// The node file's <c>ingest.maxRequestBytes</c> on the ingest routes the gateway forwards (STOW-RS and DICOM JSON
/// pushes), replacing Kestrel's 30,000,000-byte default that refused ordinary studies Registration would take. A body
/// declared larger is answered 413 before it is read (a client sending Expect: 100-continue sends nothing); one that
/// grows past the limit while streaming is cut off by Kestrel.
/// </summary>
internal static class IngestBodyLimit
{
    public static bool IsIngest(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.StartsWithSegments("/dicomweb/studies") || request.Path.StartsWithSegments("/api/registration/instances/json"));

    public static IApplicationBuilder UseIngestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsIngest(context.Request) && context.RequestServices.GetRequiredService<ServiceHostContext>().Node is { } node)
        {
            var limit = node.Ingest.MaxRequestBytes;
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status413PayloadTooLarge,
                        Title = "Request too large",
                        Detail = $"The request body ({context.Request.ContentLength} bytes) exceeds this node's ingest limit of {limit} bytes " +
                                 "(node file ingest.maxRequestBytes); send fewer or smaller instances per request. 请求体超过节点的接收上限，请减小每批的大小。",
                        Extensions = { ["maxRequestBytes"] = limit },
                    },
                });
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limit;
        }
        await next(context);
    });
}
