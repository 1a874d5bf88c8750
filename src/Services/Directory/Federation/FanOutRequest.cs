using System.Globalization;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Http;
using MedImaging.ServiceDefaults.Node;
using StackExchange.Redis;

namespace MedImaging.Directory.Federation;

/// <summary>
/// A search asked in distributed mode: by a user here (a new query id, the full hop budget), or by this node's parent
/// fanning out (a peer-node token with the query id and the hops left). A parent's query sees only what this node's
/// up rules share, with the lesser of the peer client's clearance and the asking user's, and is refused when the same
/// query id has been here already (a loop).
/// </summary>
public sealed record FanOutRequest(string QueryId, int Hops, CallerScope Caller, Func<CatalogQuery, CatalogQuery> Local, TimeSpan Deadline)
{
    public static async Task<FanOutRequest> FromAsync(HttpContext http, FanOutOptions options, ServiceHostContext host, IConnectionMultiplexer redis)
    {
        var caller = http.User.Scope();
        var headers = http.Request.Headers;
        var fromParent = http.User.IsInRole(Roles.Node) && headers.ContainsKey(FanOutSearch.HopsHeader);
        if (!fromParent) return new FanOutRequest(Guid.NewGuid().ToString("N"), options.MaxHops, caller, q => q, options.Deadline);

        var id = headers[FanOutSearch.QueryIdHeader].ToString();
        if (id.Length is < 8 or > 64 || !id.All(char.IsAsciiLetterOrDigit))
            throw new ValidationProblemException(FanOutSearch.QueryIdHeader, $"{FanOutSearch.QueryIdHeader} is 8 to 64 letters and digits.");
        if (!int.TryParse(headers[FanOutSearch.HopsHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var hops) || hops > options.MaxHops)
            throw new ValidationProblemException(FanOutSearch.HopsHeader, $"{FanOutSearch.HopsHeader} is a whole number from 0 to {options.MaxHops}.");
        // The loop guard: each node answers a query id once.
        if (!await redis.GetDatabase().StringSetAsync($"medcat:{host.RequiredNode.NodeId}:fan-out:{id}", 1, TimeSpan.FromMinutes(1), When.NotExists))
            throw new ValidationProblemException("Query loop", new Dictionary<string, string[]>
            {
                [FanOutSearch.QueryIdHeader] = [$"query {id} has been at node {host.RequiredNode.NodeId} already: a loop."],
            }, StatusCodes.Status409Conflict);

        // The parent waits so long for this answer: this node's own children get less, so that it can still answer in time.
        var deadline = options.Deadline;
        if (headers[FanOutSearch.DeadlineHeader].ToString() is { Length: > 0 } ms)
        {
            if (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var given) || given < 1)
                throw new ValidationProblemException(FanOutSearch.DeadlineHeader, $"{FanOutSearch.DeadlineHeader} is a whole number of milliseconds.");
            deadline = TimeSpan.FromMilliseconds(Math.Min(given, deadline.TotalMilliseconds));
        }
        var onBehalf = headers[FanOutSearch.ClearanceHeader].ToString();
        var clearance = SecurityLevels.IsLevel(onBehalf) && SecurityLevels.Rank(onBehalf) < SecurityLevels.Rank(caller.Clearance) ? onBehalf : caller.Clearance;
        var institution = headers[FanOutSearch.InstitutionHeader].ToString() is { Length: > 0 } i ? i : caller.Institution;
        var node = host.RequiredNode;
        var shared = node.Parent is null ? null : SharingFilter.Of(node.Routing.Rules(LinkDirection.Up));
        return new FanOutRequest(id, hops, caller with { Clearance = clearance, Institution = institution },
            q => shared is null ? q with { Where = _ => false } : q with { Where = q.Where is null ? shared : SharingFilter.And(q.Where, shared) }, deadline);
    }
}
