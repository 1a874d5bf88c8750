using Microsoft.AspNetCore.Http;

namespace MedImaging.ServiceDefaults.Logging;

internal sealed class CorrelationIdMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        using (CorrelationContext.Begin(context.Request.Headers[CorrelationContext.HeaderName].FirstOrDefault()))
        {
            context.Response.Headers[CorrelationContext.HeaderName] = CorrelationContext.Current;
            await next(context);
        }
    }
}

/// <summary>Puts the current correlation id on outgoing HTTP calls (added to every HttpClient by the defaults).</summary>
public sealed class CorrelationIdHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (CorrelationContext.Current is { } id && !request.Headers.Contains(CorrelationContext.HeaderName))
            request.Headers.Add(CorrelationContext.HeaderName, id);
        return base.SendAsync(request, cancellationToken);
    }
}
