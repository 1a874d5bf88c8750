using MassTransit;
using MedImaging.Contracts.Exchange;
using MedImaging.Contracts.Registration;
using MedImaging.Exchange.Infrastructure;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Messaging;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// This node's own catalogue facts, as Registration publishes them, become federated entries: signed with the node's
/// federation key and sent where the rules allow (ADR 0032). Facts of other nodes' entries on this node's bus are the
/// ones <see cref="InboundEntryConsumer"/> republished for the local Directory; they were forwarded there already.
/// </summary>
public abstract class OwnFactConsumer<TFact>(ExchangeDbContext db, EntryLedger ledger, FederationForwarder forwarder, EntrySignatures signatures,
    ServiceHostContext host, ILogger logger) : IdempotentConsumer<TFact, ExchangeDbContext>(db, logger) where TFact : Contracts.IntegrationEvent
{
    protected override async Task HandleAsync(ConsumeContext<TFact> context)
    {
        if (context.Message.OriginNode != host.RequiredNode.NodeId) return;
        var fact = FactOf(context.Message, signatures);
        if (await ledger.AdmitAsync(fact, context.CancellationToken) is null) return;
        await forwarder.ForwardAsync(fact, context.CancellationToken);
    }

    protected abstract EntryFact FactOf(TFact message, EntrySignatures signatures);

    protected static EntryFact Own(string kind, string origin, Guid id, int version, string payload, EntrySignatures signatures,
        string? pseudonym = null, string? classification = null, string? security = null) =>
        new(kind, origin, id, version, payload, signatures.SignPayload(payload), pseudonym, [], null, classification, security);
}

public sealed class OwnPublicationConsumer(ExchangeDbContext db, EntryLedger ledger, FederationForwarder forwarder, EntrySignatures signatures,
    ServiceHostContext host, ILogger<OwnPublicationConsumer> logger) : OwnFactConsumer<ResourcePublished>(db, ledger, forwarder, signatures, host, logger)
{
    protected override EntryFact FactOf(ResourcePublished m, EntrySignatures signatures) =>
        Own(FederatedEntry.Published, m.OriginNode, m.ResourceId, m.RecordVersion, EntryFact.PayloadOf(m), signatures,
            m.PatientPseudonym, m.ClassificationCode, m.SecurityClassification);
}

public sealed class OwnRevisionConsumer(ExchangeDbContext db, EntryLedger ledger, FederationForwarder forwarder, EntrySignatures signatures,
    ServiceHostContext host, ILogger<OwnRevisionConsumer> logger) : OwnFactConsumer<ResourceRevised>(db, ledger, forwarder, signatures, host, logger)
{
    protected override EntryFact FactOf(ResourceRevised m, EntrySignatures signatures) =>
        Own(FederatedEntry.Revised, m.OriginNode, m.ResourceId, m.RecordVersion, EntryFact.PayloadOf(m), signatures);
}

public sealed class OwnWithdrawalConsumer(ExchangeDbContext db, EntryLedger ledger, FederationForwarder forwarder, EntrySignatures signatures,
    ServiceHostContext host, ILogger<OwnWithdrawalConsumer> logger) : OwnFactConsumer<ResourceWithdrawn>(db, ledger, forwarder, signatures, host, logger)
{
    protected override EntryFact FactOf(ResourceWithdrawn m, EntrySignatures signatures) =>
        Own(FederatedEntry.Withdrawn, m.OriginNode, m.ResourceId, m.RecordVersion, EntryFact.PayloadOf(m), signatures);
}

/// <summary>Retries as the other consumers do: two facts of one new entry at once both insert its ledger row; the loser retries.</summary>
public sealed class FederationConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000));
}
