using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.ServiceDefaults.Http;

/// <summary>
/// Input the endpoint could not bind (a query value of the wrong type, malformed or over-deep JSON) is the caller's
/// fault: a 400 problem naming the parameter, or the JSON path and position, never a 500 "An error occurred".
/// </summary>
internal static partial class BadRequestProblems
{
    public static WebApplicationBuilder AddBadRequestProblems(this WebApplicationBuilder builder)
    {
        // Without this, binding failures outside Development answer a bare 400 that names nothing; with it they throw
        // BadHttpRequestException in every environment, which the handler below turns into a problem.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadHttpRequestExceptionHandler>();
        return builder;
    }

    /// <summary>The problem for a request the framework refused to bind or read; the status is the exception's (400, 413, 415).</summary>
    public static HttpValidationProblemDetails Describe(BadHttpRequestException ex)
    {
        var parameter = ParameterName().Match(ex.Message) is { Success: true } m ? m.Groups["name"].Value : null;
        var json = FindJsonException(ex);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var problem = new HttpValidationProblemDetails(errors) { Status = ex.StatusCode };
        if (json is not null)
        {
            // The path ($.values.x, $[0][1]…) and position say where the body goes wrong; the message says how.
            var path = json.Path ?? "$";
            var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
            errors[path] = [FirstSentence(json.Message) + where];
            problem.Title = "Malformed JSON body";
            problem.Detail = parameter is null
                ? $"The request body is not valid JSON at {path}{where}."
                : $"The request body (parameter '{parameter}') is not valid JSON at {path}{where}.";
            problem.Extensions["path"] = path;
            if (json.LineNumber is { } l) problem.Extensions["line"] = l + 1;
            if (json.BytePositionInLine is { } b) problem.Extensions["bytePositionInLine"] = b + 1;
            if (parameter is not null) problem.Extensions["parameter"] = parameter;
            return problem;
        }
        problem.Title = ex.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => "Request body too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
            _ => parameter is null ? "Bad request" : $"Invalid {parameter}",
        };
        problem.Detail = ex.Message;
        if (parameter is not null)
        {
            errors[parameter] = [ex.Message];
            problem.Extensions["parameter"] = parameter;
        }
        return problem;
    }

    private static JsonException? FindJsonException(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is JsonException json) return json;
        return null;
    }

    // System.Text.Json appends " Path: … | LineNumber: … | BytePositionInLine: …", which the problem carries as fields.
    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return i < 0 ? message : message[..i];
    }

    // RequestDelegateFactory's messages quote the parameter as "Type name": Failed to bind parameter "int? pageSize" from "abc".
    [GeneratedRegex("parameter \"[^\"]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterName();
}

internal sealed class BadHttpRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException ex || httpContext.Response.HasStarted) return false;
        var problem = BadRequestProblems.Describe(ex);
        httpContext.Response.StatusCode = ex.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }
}
