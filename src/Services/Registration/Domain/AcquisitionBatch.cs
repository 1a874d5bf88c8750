namespace MedImaging.Registration.Domain;

public enum AcquisitionStatus
{
    Receiving,
    Completed,
    PartiallyFailed,
    Failed,
    Malformed,
}

public enum AcquisitionChannel
{
    StowRs,
    DicomJson,
}

/// <summary>One push from an adapter (one STOW-RS request or one DICOM JSON push): the acquisition log of §4.9.4.</summary>
public sealed class AcquisitionBatch
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Adapter { get; init; }
    public AcquisitionChannel Channel { get; init; }
    public string? TargetStudyUid { get; init; }
    public AcquisitionStatus Status { get; set; } = AcquisitionStatus.Receiving;
    public int Received { get; set; }
    public int Stored { get; set; }
    public int AlreadyStored { get; set; }
    public int Rejected { get; set; }
    public long ReceivedBytes { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? CompletedAt { get; set; }
}

public enum InstanceOutcome
{
    Stored,
    NewVersion,
    AlreadyStored,
    Failed,
}

/// <summary>What happened to one instance of a batch, and why when it failed.</summary>
public sealed class AcquisitionItem
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid BatchId { get; init; }
    public int Ordinal { get; init; }
    public string? SopInstanceUid { get; init; }
    public string? SopClassUid { get; init; }
    public InstanceOutcome Outcome { get; init; }
    public int? Version { get; init; }
    public ushort? FailureReason { get; init; }
    public string? Detail { get; init; }
    public long SizeBytes { get; init; }
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}
