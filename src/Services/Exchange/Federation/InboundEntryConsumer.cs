using System.Text.Json;
using MassTransit;
using MedImaging.Contracts.Audit;
using MedImaging.Contracts.Exchange;
using MedImaging.Contracts.Registration;
using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Audit;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// Entries arriving from the neighbours (queue <c>federation.in</c>, filled by their shovels). A checked entry newer than
/// what the node holds is told to the local Directory as the origin's fact (published on the node's bus)
/// and passed on; an entry that fails a check is set aside in <c>federation_refusals</c>, audited and never applied.
/// </summary>
public sealed class InboundEntryConsumer(ExchangeDbContext db, EntryLedger ledger, FederationForwarder forwarder, EntrySignatures signatures,
    IAuditTrail audit, ServiceHostContext host, ILogger<InboundEntryConsumer> logger)
    : IdempotentConsumer<FederatedEntry, ExchangeDbContext>(db, logger)
{
    private readonly ILogger _log = logger;

    protected override async Task HandleAsync(ConsumeContext<FederatedEntry> context)
    {
        var e = context.Message;
        var node = host.RequiredNode;
        var (fact, refusal) = InboundChecks.Check(e, node, signatures);
        // Only the neighbour an entry came from may withdraw it here; a withdrawal of an entry this node never had would
        // otherwise leave a tombstone that keeps the genuine publication of that version out.
        if (fact is not null && e.Kind == FederatedEntry.Unshared)
            refusal = await ledger.FindAsync(e.OriginNode, e.ResourceId, context.CancellationToken) switch
            {
                null => $"'{e.Sender}' withdrew an entry this node never had",
                { ReceivedFrom: var from } when from != e.Sender => $"'{e.Sender}' withdrew an entry this node has from '{from ?? "itself"}'",
                _ => null,
            };
        if (fact is null || refusal is not null)
        {
            Refuse(e, refusal!);
            return;
        }
        if (await ledger.AdmitAsync(fact, context.CancellationToken) is null) return;
        // Published straight onto the node's bus, like the sends to the links (not through the outbox, whose relay added
        // a fifth of a second per hop): before the commit, so a crash re-delivers and re-publishes it; the Directory's
        // writer, idempotent on (origin, id, version), makes the repeat harmless.
        await PublishLocallyAsync(context, fact);
        await forwarder.ForwardAsync(fact, context.CancellationToken);
    }

    // What the local Directory applies: the origin's own fact, with what the links made of it.
    private static Task PublishLocallyAsync(ConsumeContext context, EntryFact f) => f.Kind switch
    {
        FederatedEntry.Published => context.Publish(JsonSerializer.Deserialize<ResourcePublished>(f.Payload, EntryFact.Json)! with
        {
            PatientPseudonym = f.PatientPseudonym, ReplicationPath = f.Path, SharedAs = f.ArrivedAs,
        }, context.CancellationToken),
        FederatedEntry.Revised => context.Publish(JsonSerializer.Deserialize<ResourceRevised>(f.Payload, EntryFact.Json)!, context.CancellationToken),
        FederatedEntry.Withdrawn => context.Publish(JsonSerializer.Deserialize<ResourceWithdrawn>(f.Payload, EntryFact.Json)!, context.CancellationToken),
        _ => context.Publish(JsonSerializer.Deserialize<UnsharedEntry>(f.Payload, EntryFact.Json) is { } u
            ? new ResourceWithdrawn { OriginNode = u.OriginNode, ResourceId = u.ResourceId, RecordVersion = u.RecordVersion, Actor = $"node:{f.ReceivedFrom}", Reason = u.Reason }
            : throw new InvalidOperationException("checked payload vanished"), context.CancellationToken),
    };

    private void Refuse(FederatedEntry e, string reason)
    {
        _log.LogWarning("Refused federated entry {Origin}/{Id} v{Version} ({Kind}) from {Sender}: {Reason}", e.OriginNode, e.ResourceId, e.RecordVersion, e.Kind, e.Sender, reason);
        Db.FederationRefusals.Add(new FederationRefusal
        {
            ReceivedAt = DateTimeOffset.UtcNow, Sender = Cap(e.Sender), OriginNode = Cap(e.OriginNode), ResourceId = e.ResourceId,
            RecordVersion = e.RecordVersion, Kind = Cap(e.Kind, 16), Reason = reason, Message = JsonSerializer.Serialize(e, EntryFact.Json),
        });
        audit.Stage(new AuditEventRecorded
        {
            OriginNode = host.RequiredNode.NodeId,
            Service = host.ServiceName,
            Actor = new AuditActor { SubjectId = $"node:{Cap(e.Sender)}", Node = Cap(e.Sender) },
            Action = AuditActions.FederationRefused,
            Resource = new AuditResource { Kind = "catalogue-entry", Id = $"{Cap(e.OriginNode)}/{e.ResourceId}" },
            Outcome = AuditOutcome.Denied(reason),
            Details = new Dictionary<string, string> { ["kind"] = Cap(e.Kind, 16) ?? "", ["recordVersion"] = e.RecordVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
    }

    // What a forged message says goes into bounded columns.
    private static string? Cap(string? s, int max = 64) => s is null ? null : s.Length <= max ? s : s[..max];
}

/// <summary>
/// <c>federation.in</c> is a plain queue the shovels deliver into, bound to no exchange: only the links put messages
/// there, never a publication on this node's own bus.
/// </summary>
public sealed class InboundEntryConsumerDefinition : ConsumerDefinition<InboundEntryConsumer>
{
    public InboundEntryConsumerDefinition(Microsoft.Extensions.Options.IOptions<FederationOptions> options) => EndpointName = options.Value.InboundQueue;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<InboundEntryConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000));
    }
}
