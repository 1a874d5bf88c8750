using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// §4.4.1 交换管理, per neighbour: whether the link carries (its shovel consumes this node's outgoing queue), how much
/// waits (backlog), when this node last sent and last applied something from the neighbour, the lag of that last entry
/// (applied here minus sent there), what the neighbour holds, what was refused from it, and the last error seen.
/// </summary>
public sealed class LinkStatus(ExchangeDbContext db, QueueProbe probe, ServiceHostContext host, IOptions<FederationOptions> options)
{
    public sealed record Link(
        string Peer,
        string Relation,
        string State,
        long? Backlog,
        DateTimeOffset? LastSentAt,
        DateTimeOffset? LastReceivedAt,
        double? LastLagSeconds,
        long EntriesHeldByPeer,
        long EntriesReceived,
        long RefusedLast24Hours,
        string? LastError);

    public const string Running = "running";
    public const string Down = "down";
    public const string Unknown = "unknown";

    public async Task<IReadOnlyList<Link>> AllAsync(CancellationToken ct)
    {
        var node = host.RequiredNode;
        var peers = (node.Parent is { } p ? new[] { (p, "parent") } : []).Concat(node.Children.Select(c => (c, "child")));
        var links = new List<Link>();
        foreach (var (peer, relation) in peers) links.Add(await OneAsync(peer, relation, ct));
        return links;
    }

    private async Task<Link> OneAsync(string peer, string relation, CancellationToken ct)
    {
        var since = DateTimeOffset.UtcNow.AddDays(-1);
        var sent = await db.FederationShares.Where(s => s.Target == peer).MaxAsync(s => (DateTimeOffset?)s.SentAt, ct);
        var held = await db.FederationShares.CountAsync(s => s.Target == peer && (s.Kind == "published" || s.Kind == "revised"), ct);
        var received = db.FederatedEntries.Where(e => e.ReceivedFrom == peer);
        var last = await received.OrderByDescending(e => e.AppliedAt).Select(e => new { e.AppliedAt, e.SentAt }).FirstOrDefaultAsync(ct);
        var receivedCount = await received.CountAsync(ct);
        var refusals = db.FederationRefusals.Where(r => r.Sender == peer && r.ReceivedAt >= since);
        var refused = await refusals.CountAsync(ct);
        var lastRefusal = await refusals.OrderByDescending(r => r.Id).Select(r => new { r.ReceivedAt, r.Reason }).FirstOrDefaultAsync(ct);

        string state;
        long? backlog = null;
        string? error = lastRefusal is null ? null : $"{lastRefusal.ReceivedAt:u} refused an entry: {lastRefusal.Reason}";
        var queue = options.Value.OutboundQueue(peer);
        try
        {
            var q = await probe.ProbeAsync(queue, ct);
            backlog = q.Messages;
            state = q.Consumers > 0 ? Running : Down;
            if (q.Consumers == 0)
                error = $"no shovel consumes {queue}: the link is down{(q.Messages > 0 ? $", {q.Messages} message(s) wait for it" : "")}";
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException
                                   or RabbitMQ.Client.Exceptions.AlreadyClosedException or TimeoutException or IOException)
        {
            state = Unknown;
            error = $"the node's broker did not answer: {ex.Message}";
        }
        return new Link(peer, relation, state, backlog, sent, last?.AppliedAt, last is { SentAt: { } s } ? (last.AppliedAt - s).TotalSeconds : null,
            held, receivedCount, refused, error);
    }
}
