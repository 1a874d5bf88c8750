using System.Globalization;
using System.Security.Claims;
using MedImaging.Contracts.Audit;
using MedImaging.ServiceDefaults.Audit;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// The gateway's audit events (issue 11 item 4): every sign-in with its outcome and reason, every token issued to a
/// client by client credentials, every refused client authentication. Through the gateway's own outbox, like every
/// service's; the actor of a success is the account just authenticated, built from the principal the token gets.
/// </summary>
internal sealed class GatewayAudit(IAuditTrail trail)
{
    /// <summary>How a person signed in: the password grant (scripts, tests) or the sign-in page (authorization code).</summary>
    public const string PasswordGrant = "password-grant", SignInPage = "sign-in-page";

    // A user name is not PHI, but an attempted one is whatever a caller typed: bounded like the accounts' own names.
    private const int MaxNameLength = 100;

    /// <summary>Stages a successful sign-in in the request's context: written by the save that records the sign-in.</summary>
    public void StageSignIn(HttpContext http, ClaimsPrincipal signedIn, string method) =>
        trail.Stage(AuditEvents.For(http, AuditActions.SignIn, outcome: AuditOutcome.Success, details: new Dictionary<string, string>
        {
            ["method"] = method,
            ["userName"] = signedIn.FindFirstValue("preferred_username") ?? "",
        }) with { Actor = AuditEvents.ActorOf(signedIn) });

    /// <summary>
    /// A refused sign-in. The actor is anonymous whether or not the name exists (the caller proved nothing); the name
    /// tried is in the details, the reason in the outcome.
    /// </summary>
    public Task SignInRefusedAsync(HttpContext http, string? userName, string? clientId, SignInOutcome outcome, string method)
    {
        var details = new Dictionary<string, string>
        {
            ["method"] = method,
            ["userName"] = Bounded(userName),
            ["failures"] = outcome.Failures.ToString(CultureInfo.InvariantCulture),
        };
        if (outcome.LockedUntil is { } locked) details["lockedUntil"] = locked.ToString("o", CultureInfo.InvariantCulture);
        if (outcome.RetryAt is { } retry) details["retryAt"] = retry.ToString("o", CultureInfo.InvariantCulture);
        return trail.WriteAsync(AuditEvents.For(http, AuditActions.SignIn, outcome: AuditOutcome.Failed(outcome.Refusal ?? SignInRefusals.InvalidCredentials), details: details)
            with { Actor = new AuditActor { SubjectId = Anonymous, ClientId = clientId } });
    }

    /// <summary>A token issued to a client on its own behalf (client credentials).</summary>
    public Task TokenIssuedAsync(HttpContext http, ClaimsPrincipal issued, string grantType) =>
        trail.WriteAsync(AuditEvents.For(http, AuditActions.TokenIssued, outcome: AuditOutcome.Success,
            details: new Dictionary<string, string> { ["grantType"] = grantType }) with { Actor = AuditEvents.ActorOf(issued) });

    /// <summary>A client that did not authenticate (unknown client, wrong secret): no token; the id it gave is in the details.</summary>
    public Task ClientRefusedAsync(HttpContext http, string? clientId, string? grantType, string error, string? description)
    {
        var details = new Dictionary<string, string> { ["clientId"] = Bounded(clientId), ["error"] = error };
        if (grantType is not null) details["grantType"] = Bounded(grantType);
        if (description is not null) details["errorDescription"] = Bounded(description, 400);
        return trail.WriteAsync(AuditEvents.For(http, AuditActions.TokenIssued, outcome: AuditOutcome.Denied(error), details: details)
            with { Actor = new AuditActor { SubjectId = Anonymous } });
    }

    private const string Anonymous = "anonymous";

    private static string Bounded(string? value, int max = MaxNameLength) =>
        value is null ? "" : value.Length <= max ? value : value[..max];
}
