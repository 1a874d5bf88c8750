using System.Net;
using MedImaging.Registration.Cataloguing;
using MedImaging.Registration.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Apis;

/// <summary>
/// RFC 7807 answers for what the Metadata service said: 422 listing each failing element (id, zh/en name, reason),
/// 503 when it could not be asked, 403 when it refused the caller's token. The entry's state is unchanged in all three.
/// </summary>
public static class CatalogueProblems
{
    public static ProblemHttpResult? From(Exception ex, Guid? id, WorkflowAction action) => ex switch
    {
        CatalogueCheckFailedException f => Failed(f),
        MetadataUnavailableException u => TypedResults.Problem(title: "Metadata service unavailable", statusCode: StatusCodes.Status503ServiceUnavailable,
            detail: $"{u.Message}. Nothing was changed{(id is null ? "" : $": entry {id} keeps its state")}; '{Verb(action)}' needs the completeness and conformance checks, which never pass by default. Try again later.",
            extensions: Extensions(id, action)),
        MetadataRejectedException { Status: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } r => TypedResults.Problem(
            title: "The Metadata service refused the caller", statusCode: StatusCodes.Status403Forbidden,
            detail: $"{r.Message}. Nothing was changed.", extensions: Extensions(id, action)),
        MetadataRejectedException r => TypedResults.Problem(title: "The Metadata service rejected the request", statusCode: StatusCodes.Status502BadGateway,
            detail: $"{r.Message}. Nothing was changed.", extensions: Extensions(id, action)),
        // Ingest refreshed the entry (new instances of its study arrived) while the action ran: the action is undone rather
        // than overwriting what ingest wrote.
        DbUpdateConcurrencyException => TypedResults.Problem(title: "Catalogue entry changed meanwhile", statusCode: StatusCodes.Status409Conflict,
            detail: $"The entry{(id is null ? "" : $" {id}")} was changed while '{Verb(action)}' ran (for an imaging study, usually because new instances arrived). Nothing was changed; read it again and retry.",
            extensions: Extensions(id, action)),
        _ => null,
    };

    private static ProblemHttpResult Failed(CatalogueCheckFailedException f)
    {
        var extensions = Extensions(f.Action == WorkflowAction.Catalogue && f.Current == WorkflowState.Prepared ? null : f.ResourceId, f.Action);
        extensions["currentState"] = CatalogingService.Describe(f.Current);
        extensions["checkedAgainst"] = f.CheckedAgainst;
        extensions["problems"] = f.Problems;
        extensions["errors"] = f.Problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => $"{p.NameZh} ({p.NameEn}): {p.Detail}").ToArray());
        return TypedResults.Problem(title: "Catalogue entry incomplete or nonconforming", statusCode: StatusCodes.Status422UnprocessableEntity,
            detail: $"'{Verb(f.Action)}' needs a complete, conforming record (§4.8.2 d); against {f.CheckedAgainst} these elements fail: "
                + string.Join("; ", f.Problems.Select(p => $"{p.ElementId} {p.NameZh}: {p.Detail}")) + $". The entry stays '{CatalogingService.Describe(f.Current)}'.",
            extensions: extensions);
    }

    private static Dictionary<string, object?> Extensions(Guid? id, WorkflowAction action)
    {
        var e = new Dictionary<string, object?> { ["action"] = Verb(action) };
        if (id is not null) e["resourceId"] = id;
        return e;
    }

    private static string Verb(WorkflowAction action) => action.ToString().ToLowerInvariant();
}

public static class HttpContextTokens
{
    /// <summary>The caller's access token, passed on to the Metadata service so its own policies apply to the caller.</summary>
    public static string BearerToken(this HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
    }
}
