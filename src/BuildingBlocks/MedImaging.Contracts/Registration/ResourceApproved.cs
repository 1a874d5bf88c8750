namespace MedImaging.Contracts.Registration;

/// <summary>A reviewer approved a registered entry (§4.5.1 d); it may now be published.</summary>
public sealed record ResourceApproved : IntegrationEvent
{
    public required Guid ResourceId { get; init; }
    public required int RecordVersion { get; init; }
    public required string Actor { get; init; }
}
