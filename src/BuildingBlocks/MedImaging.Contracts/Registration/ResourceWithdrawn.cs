namespace MedImaging.Contracts.Registration;

/// <summary>A published entry was withdrawn from the directory; read models and federated copies remove it.</summary>
public sealed record ResourceWithdrawn : IntegrationEvent
{
    public required Guid ResourceId { get; init; }
    public required int RecordVersion { get; init; }
    public required string Actor { get; init; }
    public required string Reason { get; init; }
}
