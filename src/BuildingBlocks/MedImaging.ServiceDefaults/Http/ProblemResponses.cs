using MedImaging.ServiceDefaults.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.ServiceDefaults.Http;

internal static class ProblemResponses
{
    /// <summary>RFC 7807 for every error, with the correlation id so a hospital's IT staff can quote it.</summary>
    public static WebApplicationBuilder AddProblemResponses(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            if (CorrelationContext.Current is { } id) ctx.ProblemDetails.Extensions["correlationId"] = id;
        });
        builder.Services.AddExceptionHandler<ValidationProblemExceptionHandler>();
        return builder;
    }
}

/// <summary>Thrown by domain code for input that breaks a rule; becomes a 400 (or the given status) problem naming the field.</summary>
public sealed class ValidationProblemException(string title, IDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest)
    : Exception(title)
{
    public IDictionary<string, string[]> Errors { get; } = errors;
    public int Status { get; } = status;

    public ValidationProblemException(string field, string error) : this($"Invalid {field}", new Dictionary<string, string[]> { [field] = [error] }) { }
}

internal sealed class ValidationProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ValidationProblemException ex) return false;
        httpContext.Response.StatusCode = ex.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(ex.Errors) { Title = ex.Message, Status = ex.Status },
        });
    }
}
