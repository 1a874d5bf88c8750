using System.Data.Common;
using MedImaging.Contracts.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MedImaging.ServiceDefaults.Audit;

/// <summary>
/// Every 401 and 403 a host answers is one audit event (access-unauthenticated / access-forbidden) written through the
/// host's own outbox before the answer goes out. Requests the gateway only proxies are refused, and so audited, by the
/// service behind it: the gateway's proxy routes carry no authorization policy of their own.
/// </summary>
internal static class AccessRefusals
{
    private const string Recorded = "medcat.access-refusal-audited";
    private const int MaxText = 400;

    /// <summary>A 401: the caller is anonymous, whatever an unvalidated token claims (those claims go to Details, marked unverified).</summary>
    public static Task UnauthenticatedAsync(HttpContext http, string reason, string? token)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in UnverifiedClaims(token)) details[key] = value;
        return WriteAsync(http, AuditActions.Unauthenticated, AuditOutcome.Denied(reason), details);
    }

    /// <summary>A 403: the caller is authenticated; the reason names the policies and the roles any one of which would do.</summary>
    public static Task ForbiddenAsync(HttpContext http, IReadOnlyList<string> policies, IReadOnlyList<string> roles)
    {
        // e.g. "requires policy metadata-admin: one of the roles admin"
        var reason = "requires " + (policies.Count > 0 ? $"policy {string.Join(", ", policies)}" : "the endpoint's authorization policy")
            + (roles.Count > 0 ? $": one of the roles {string.Join(", ", roles)}" : "");
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["requiredPolicies"] = string.Join(",", policies),
            ["requiredRoles"] = string.Join(",", roles),
        };
        return WriteAsync(http, AuditActions.Forbidden, AuditOutcome.Denied(reason), details);
    }

    private static async Task WriteAsync(HttpContext http, string action, AuditOutcome outcome, Dictionary<string, string> details)
    {
        // One record per refused request, even if a second scheme were challenged or forbidden in the same request.
        if (!http.Items.TryAdd(Recorded, true)) return;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccessRefusals));
        if (http.RequestServices.GetService<IAuditTrail>() is not { } trail)
        {
            logger.LogError("{Action} of {Path} not audited: this host has no audit trail (no service DbContext)", action, http.Request.Path);
            return;
        }
        var evt = AuditEvents.For(http, action, Endpoint(http), outcome, details);
        try
        {
            await trail.WriteAsync(evt, CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException or TimeoutException)
        {
            // The refusal is still answered as what it is: a 500 would tell the caller the request might have been
            // accepted, and would hide the real reason. The record is lost; this log line (with the whole event) is all
            // that remains of it, so a database outage shows up here as missing refusals, never as wrong answers.
            logger.LogError(ex, "Audit record {EventId} of a refused request could not be written to the outbox and is lost: {Action} {Outcome} {Reason} by {Subject} on {Method} {Path} from {Address}",
                evt.EventId, evt.Action, evt.Outcome.Result, evt.Outcome.Reason, evt.Actor.SubjectId, http.Request.Method, evt.Resource?.Identifier, evt.SourceAddress);
        }
    }

    /// <summary>The endpoint asked for: its method and route pattern (stable across ids), and the path as requested (no query).</summary>
    private static AuditResource Endpoint(HttpContext http)
    {
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var path = (http.Request.PathBase + http.Request.Path).ToString();
        return new AuditResource
        {
            Kind = "endpoint",
            Id = Clip($"{http.Request.Method} {(pattern is null ? path : "/" + pattern.TrimStart('/'))}"),
            Identifier = Clip(path),
        };
    }

    // What a token that failed validation says about itself: useful to trace a stale client, never to be trusted as the actor.
    private static IEnumerable<(string Key, string Value)> UnverifiedClaims(string? token)
    {
        if (string.IsNullOrEmpty(token)) yield break;
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            yield break;
        }
        foreach (var (claim, key) in new[] { ("sub", "unverifiedSubject"), ("client_id", "unverifiedClientId"), ("iss", "unverifiedIssuer") })
            if (jwt.TryGetPayloadValue<string>(claim, out var value) && !string.IsNullOrEmpty(value))
                yield return (key, Clip(value)!);
    }

    private static string? Clip(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;
}
