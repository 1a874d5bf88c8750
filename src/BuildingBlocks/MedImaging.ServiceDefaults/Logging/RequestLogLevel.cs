using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace MedImaging.ServiceDefaults.Logging;

internal static class RequestLogLevel
{
    // Health probes every few seconds would drown the log; keep them at Verbose unless they fail.
    public static LogEventLevel For(HttpContext context, double elapsedMs, Exception? ex) =>
        ex is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
        : context.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Verbose
        : LogEventLevel.Information;
}
