using MedImaging.Dicom;
using MedImaging.Registration.Domain;

namespace MedImaging.Registration.Ingest;

/// <summary>One instance as it arrived: its metadata (no pixel data), its size, and the Part-10 file meta SOP class if any.</summary>
public sealed record IncomingInstance(DicomDataset Dataset, long SizeBytes, string? TransferSyntaxUid, string? MediaStorageSopClassUid);

/// <summary>What became of one instance: the store response item and the acquisition log line.</summary>
public sealed record InstanceResult(int Ordinal, string? SopClassUid, string? SopInstanceUid, InstanceOutcome Outcome, int? Version,
    ushort? FailureReason, string? Detail, string? RetrieveUrl, string? StudyInstanceUid, long SizeBytes)
{
    public bool Succeeded => Outcome != InstanceOutcome.Failed;

    public static InstanceResult Failed(int ordinal, ushort reason, string detail, long size, string? sopClass = null, string? sopInstance = null)
        => new(ordinal, sopClass, sopInstance, InstanceOutcome.Failed, null, reason, detail, null, null, size);
}
