using System.Security.Claims;
using MedImaging.Contracts.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.ServiceDefaults.Audit;

/// <summary>Builds audit events from what a service knows: the request and its caller, or a caller it acts for.</summary>
public static class AuditEvents
{
    /// <summary>An event for an action taken in this request, by the request's caller.</summary>
    public static AuditEventRecorded For(HttpContext http, string action, AuditResource? resource = null, AuditOutcome? outcome = null,
        IReadOnlyDictionary<string, string>? details = null)
    {
        var host = http.RequestServices.GetRequiredService<ServiceHostContext>();
        return new AuditEventRecorded
        {
            OriginNode = host.Node?.NodeId ?? "unconfigured",
            Service = host.ServiceName,
            Actor = ActorOf(http.User),
            Action = action,
            Resource = resource,
            Outcome = outcome ?? AuditOutcome.Success,
            SourceAddress = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 400)] : null,
            CorrelationId = CorrelationContext.Current,
            Details = details ?? new Dictionary<string, string>(),
        };
    }

    /// <summary>The actor as the access token names it; "anonymous" when there is no authenticated caller.</summary>
    public static AuditActor ActorOf(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
            return new AuditActor { SubjectId = "anonymous" };
        var scope = CallerScope.From(user);
        return new AuditActor
        {
            SubjectId = user.FindFirstValue("sub") ?? user.FindFirstValue(ScopeClaims.ClientId) ?? "unknown",
            DisplayName = user.FindFirstValue("name"),
            Roles = [.. user.FindAll("role").Select(c => c.Value).Distinct(StringComparer.Ordinal)],
            ClientId = user.FindFirstValue(ScopeClaims.ClientId) ?? user.FindFirstValue("azp"),
            Node = scope.Node,
            Institution = scope.Institution,
            Clearance = user.FindFirstValue(ScopeClaims.Clearance),
        };
    }
}
