using System.Security.Claims;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Directory.Subscriptions;

/// <summary>
/// Keeps each subscription's stored scope equal to what its subscriber's latest token says: every call to the
/// subscription and notification endpoints writes the caller's clearance, node and institution onto its subscriptions
/// (one UPDATE, a no-op while nothing changed and the scope was confirmed within the minute). A lowered clearance thus narrows matching from the subscriber's next call.
/// </summary>
public static class SubscriberScope
{
    public static string Subscriber(this ClaimsPrincipal user) =>
        user.FindFirstValue("sub") ?? user.FindFirstValue(ScopeClaims.ClientId) ?? throw new InvalidOperationException("An authenticated caller without a subject.");

    public static async Task ObserveAsync(DirectoryDbContext db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        var subscriber = user.Subscriber();
        var scope = user.Scope();
        var rank = SecurityLevels.Rank(scope.Clearance);
        var now = clock.GetUtcNow();
        // Also when unchanged but not confirmed for a minute: the webhook dispatcher trusts a scope only so long (MaxScopeAge).
        var renewBefore = now - TimeSpan.FromMinutes(1);
        await db.Subscriptions
            .Where(s => s.Subscriber == subscriber
                        && (s.Clearance != scope.Clearance || s.ScopeNode != scope.Node || s.ScopeInstitution != scope.Institution || s.ScopeSeenAt < renewBefore))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Clearance, scope.Clearance)
                .SetProperty(s => s.ClearanceRank, rank)
                .SetProperty(s => s.ScopeNode, scope.Node)
                .SetProperty(s => s.ScopeInstitution, scope.Institution)
                .SetProperty(s => s.ScopeSeenAt, now), ct);
    }
}
