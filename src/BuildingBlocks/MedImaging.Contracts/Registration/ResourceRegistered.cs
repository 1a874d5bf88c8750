namespace MedImaging.Contracts.Registration;

/// <summary>A catalogue entry completed by a cataloguer was registered (§4.5.1 c) and waits for review.</summary>
public sealed record ResourceRegistered : IntegrationEvent
{
    public required Guid ResourceId { get; init; }
    public required int RecordVersion { get; init; }
    public required string Title { get; init; }
    public required string Actor { get; init; }

    /// <summary>资源标识符 (§4.7.2.1) issued at registration.</summary>
    public string? ResourceIdentifier { get; init; }
}
