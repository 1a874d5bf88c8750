namespace MedImaging.Inference.Domain;

public enum AnalysisJobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// One image analysis run (§3.3.2–3.3.3, §5): radiomics, quality metrics or model inference over a catalogued
/// resource. Its results come back into the catalogue as a derived resource.
/// </summary>
public sealed class AnalysisJob
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Kind { get; init; }
    public required string ResourceIdentifier { get; init; }
    public AnalysisJobStatus Status { get; set; } = AnalysisJobStatus.Queued;
    public int ProgressPercent { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public required string CreatedBy { get; init; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
}
