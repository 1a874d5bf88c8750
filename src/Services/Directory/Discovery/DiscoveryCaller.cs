using System.Security.Claims;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedImaging.Directory.Discovery;

/// <summary>Who a session belongs to.</summary>
public static class DiscoveryCaller
{
    /// <summary>
    /// The owner a session is bound to: the token's subject (a user, or a client by its id), or "anonymous" for callers
    /// without a token — anonymous sessions are told apart only by their unguessable ids.
    /// </summary>
    public static string Owner(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true) return "anonymous";
        return "sub:" + (user.FindFirstValue("sub") ?? user.FindFirstValue(ScopeClaims.ClientId) ?? "unknown");
    }
}

/// <summary>
/// The 404s of the discovery paths: one answer for a thing that is missing, expired, or someone else's (or, for a record,
/// hidden by clearance), so the caller learns nothing about what others have.
/// </summary>
public static class DiscoveryProblems
{
    public static ProblemHttpResult NoSession(string id) => TypedResults.Problem(
        title: "No such session", detail: $"There is no directory session '{id}' of this caller (it may have expired or been terminated).", statusCode: 404);

    public static ProblemHttpResult NoResultSet(string id) => TypedResults.Problem(
        title: "No such result set", detail: $"There is no result set '{id}' in this session (it may have expired, or been dropped for a newer one).", statusCode: 404);

    public static ProblemHttpResult NoRecord(string identifier) => TypedResults.Problem(
        title: "No such record", detail: $"There is no record '{identifier}' in the directory.", statusCode: 404);

    /// <summary>XML needs the record's set version, which the directory learns from the Metadata service's announcements.</summary>
    public static ProblemHttpResult SchemaUnknown(string kind) => TypedResults.Problem(
        title: "Schema not known yet", detail: $"The directory has not yet learnt the metadata set that records of kind '{kind}' are written against; "
            + "the Metadata service announces its active versions (retry shortly, or ask for format=json).", statusCode: 503);
}
