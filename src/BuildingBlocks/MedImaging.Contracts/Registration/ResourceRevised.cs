namespace MedImaging.Contracts.Registration;

/// <summary>A cataloguer reopened an entry for correction; it has a new record version and goes through review again.</summary>
public sealed record ResourceRevised : IntegrationEvent
{
    public required Guid ResourceId { get; init; }
    public required int RecordVersion { get; init; }
    public required string PreviousState { get; init; }
    public required string Actor { get; init; }
    public string? Reason { get; init; }
}
