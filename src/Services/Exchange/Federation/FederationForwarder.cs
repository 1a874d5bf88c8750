using MassTransit;
using MedImaging.Contracts.Exchange;
using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// Sends an entry's fact on to the neighbours the rules allow (publications) or that hold it (revisions, withdrawals),
/// and withdraws it from a neighbour whose rule no longer lets it cross. Each message goes into this node's queue for
/// that link; the link's shovel carries it (ADR 0032). Messages are sent before the caller's transaction commits: a
/// rollback and retry sends them again, which the receiver's (origin, id, version) check makes harmless, whereas
/// sending after the commit could lose them in a crash between the two.
/// </summary>
public sealed class FederationForwarder(ExchangeDbContext db, ISendEndpointProvider send, EntrySignatures signatures, FederationKeys keys,
    ServiceHostContext host, IOptions<FederationOptions> options, ILogger<FederationForwarder> log)
{
    public async Task ForwardAsync(EntryFact fact, CancellationToken ct)
    {
        var node = host.RequiredNode;
        var shares = await db.FederationShares.Where(s => s.OriginNode == fact.OriginNode && s.ResourceId == fact.ResourceId).ToDictionaryAsync(s => s.Target, ct);
        IReadOnlyList<string> pathHere = [.. fact.Path, node.NodeId];
        if (fact.Kind == FederatedEntry.Published)
        {
            foreach (var hop in LinkRouter.Next(node, fact.Path, fact.ArrivedAs, fact.ClassificationCode, fact.SecurityClassification))
            {
                shares.TryGetValue(hop.Target, out var held);
                if (hop.Decision.Crosses)
                {
                    var pseudonym = LinkRouter.Pseudonym(fact.PatientPseudonym, hop.Decision, hop.Target, keys.PseudonymKey);
                    await SendAsync(fact.Kind, fact, hop.Target, pseudonym, pathHere, hop.Share, ct);
                    held ??= Track(hop.Target, fact, hop.Direction.ToString().ToLowerInvariant());
                    Record(held, fact.Kind, fact.RecordVersion, hop.Share, fact);
                }
                else if (held is { Held: true })
                    await UnshareAsync(held, $"rule of link {node.NodeId} → {hop.Target} no longer shares it", ct);
            }
            return;
        }
        foreach (var held in shares.Values.Where(s => s.Held))
        {
            if (fact.Kind == FederatedEntry.Unshared)
            {
                await UnshareAsync(held, $"withdrawn from {node.NodeId} by {fact.ReceivedFrom}", ct);
                continue;
            }
            await SendAsync(fact.Kind, fact, held.Target, null, pathHere, held.Share ?? "conditional", ct);
            Record(held, fact.Kind, fact.RecordVersion, held.Share, null);
        }
    }

    /// <summary>Withdraws the entry from one neighbour (a rule that no longer lets it cross, or its withdrawal upstream).</summary>
    public async Task UnshareAsync(FederationShare held, string reason, CancellationToken ct)
    {
        var node = host.RequiredNode.NodeId;
        var payload = EntryFact.PayloadOf(new UnsharedEntry(held.OriginNode, held.ResourceId, held.RecordVersion, reason));
        var fact = new EntryFact(FederatedEntry.Unshared, held.OriginNode, held.ResourceId, held.RecordVersion, payload, null, null, [], null, null, null);
        // The path of an unshared message names the origin and the sender (one node for an own entry: SendAsync drops repeats);
        // the receiver checks the sender against whom it had the entry from.
        await SendAsync(FederatedEntry.Unshared, fact, held.Target, null, [held.OriginNode, node], held.Share ?? "conditional", ct);
        Record(held, FederatedEntry.Unshared, held.RecordVersion, held.Share, null);
        log.LogInformation("Unshared {Origin}/{Id} v{Version} from {Target}: {Reason}", held.OriginNode, held.ResourceId, held.RecordVersion, held.Target, reason);
    }

    private async Task SendAsync(string kind, EntryFact fact, string target, string? pseudonym, IReadOnlyList<string> path, string share, CancellationToken ct)
    {
        var self = host.RequiredNode.NodeId;
        var distinctPath = path.Distinct(StringComparer.Ordinal).ToList();
        var message = new FederatedEntry
        {
            Kind = kind, OriginNode = fact.OriginNode, ResourceId = fact.ResourceId, RecordVersion = fact.RecordVersion,
            Payload = fact.Payload, OriginSignature = fact.OriginSignature, PatientPseudonym = pseudonym, Path = distinctPath,
            Sender = self, Recipient = target, Share = share,
            HopSignature = signatures.SignHop(kind, self, target, fact.Payload, pseudonym, distinctPath, share),
        };
        var endpoint = await send.GetSendEndpoint(new Uri($"queue:{options.Value.OutboundQueue(target)}"));
        await endpoint.Send(message, ct);
    }

    private FederationShare Track(string target, EntryFact fact, string direction)
    {
        var share = new FederationShare
        {
            Target = target, OriginNode = fact.OriginNode, ResourceId = fact.ResourceId, Kind = FederatedEntry.Published, Direction = direction,
        };
        db.FederationShares.Add(share);
        return share;
    }

    private static void Record(FederationShare held, string kind, int version, string? share, EntryFact? publication)
    {
        held.Kind = kind;
        held.RecordVersion = version;
        held.Share = share;
        held.SentAt = DateTimeOffset.UtcNow;
        if (publication is null) return;
        held.ClassificationCode = publication.ClassificationCode;
        held.SecurityClassification = publication.SecurityClassification;
    }
}
