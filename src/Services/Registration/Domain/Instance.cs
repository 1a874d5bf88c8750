namespace MedImaging.Registration.Domain;

/// <summary>One SOP instance, keyed by its SOP Instance UID. Every content change makes a new <see cref="InstanceVersion"/>.</summary>
public sealed class Instance
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid StudyId { get; init; }
    public Guid SeriesId { get; set; }
    public required string SopInstanceUid { get; init; }
    public required string SopClassUid { get; set; }
    public int CurrentVersion { get; set; }
    public required string ContentHash { get; set; }
    public long SizeBytes { get; set; }
    public string? TransferSyntaxUid { get; set; }
    public DateTimeOffset FirstStoredAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset LastStoredAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// What one push of an instance said: its de-identified metadata (DICOM JSON without PHI, private tags, binary values
/// and pixel data), the content hash that decides "same or changed", and the vault row holding its PHI.
/// </summary>
public sealed class InstanceVersion
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid InstanceId { get; init; }
    public int Version { get; init; }
    public required string ContentHash { get; init; }
    public long SizeBytes { get; init; }
    public required string Metadata { get; init; }
    public Guid? PhiRecordId { get; init; }
    public string? PatientPseudonym { get; init; }
    public Guid BatchId { get; init; }
    public DateTimeOffset StoredAt { get; init; } = DateTimeOffset.UtcNow;
}
