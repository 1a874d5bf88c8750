namespace MedImaging.Contracts.Audit;

/// <summary>
/// Several <see cref="AuditEventRecorded"/> of one service, carried to the audit trail in one message. Each service's
/// outbox still holds one row per event (staged with the change it records); the relay wraps the audit rows of a batch
/// into this message so that the broker and the trail's consumer pay per batch, not per event: at one event per STOW
/// request the per-message cost was the trail's price on ingest (ADR 0020, "Carrying the events"). The trail appends
/// each event once by its <see cref="AuditEventRecorded.EventId"/>, so a batch sent again after a relay crash is harmless.
/// </summary>
public sealed record AuditEventsRecorded : IntegrationEvent
{
    public required IReadOnlyList<AuditEventRecorded> Events { get; init; }
}
