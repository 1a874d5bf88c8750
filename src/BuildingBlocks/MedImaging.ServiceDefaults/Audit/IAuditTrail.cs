using MedImaging.Contracts.Audit;

namespace MedImaging.ServiceDefaults.Audit;

/// <summary>
/// Emits audit events through the service's own transactional outbox (never fire-and-forget): the node's audit trail
/// (Exchange, ADR 0020) appends them to its hash chain.
/// </summary>
public interface IAuditTrail
{
    /// <summary>
    /// Stages the event in the service's DbContext of this request scope: it is written by that context's next
    /// SaveChanges, in the same transaction as the change it records, so an action and its record never diverge.
    /// </summary>
    void Stage(AuditEventRecorded audit);

    /// <summary>
    /// For an action without a transaction of its own (a read, a refused request): writes the event to the outbox now,
    /// in a fresh scope, so it does not drag along whatever the request's context has pending.
    /// </summary>
    Task WriteAsync(AuditEventRecorded audit, CancellationToken ct = default);
}
