namespace MedImaging.Contracts.Registration;

/// <summary>A reviewer rejected a registered entry (§4.5.1 d), saying why; a cataloguer revises it.</summary>
public sealed record ResourceRejected : IntegrationEvent
{
    public required Guid ResourceId { get; init; }
    public required int RecordVersion { get; init; }
    public required string Actor { get; init; }
    public required string Reason { get; init; }
}
