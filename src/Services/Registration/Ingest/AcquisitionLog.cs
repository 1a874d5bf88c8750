using MedImaging.Registration.Domain;
using MedImaging.Registration.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Ingest;

/// <summary>The acquisition log of §4.9.4: a batch row opened before the first instance and closed after the last.</summary>
public sealed class AcquisitionLog(RegistrationDbContext db)
{
    public async Task<AcquisitionBatch> OpenAsync(string adapter, AcquisitionChannel channel, string? targetStudy, CancellationToken ct)
    {
        var batch = new AcquisitionBatch { Adapter = adapter, Channel = channel, TargetStudyUid = targetStudy };
        db.AcquisitionBatches.Add(batch);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return batch;
    }

    /// <summary>Closes the batch with its counts; <paramref name="error"/> marks a request that broke off (malformed body).</summary>
    public async Task CloseAsync(AcquisitionBatch batch, IReadOnlyList<InstanceResult> results, string? error)
    {
        var stored = results.Count(r => r.Outcome is InstanceOutcome.Stored or InstanceOutcome.NewVersion);
        var already = results.Count(r => r.Outcome == InstanceOutcome.AlreadyStored);
        var rejected = results.Count(r => r.Outcome == InstanceOutcome.Failed);
        var status = error is not null ? AcquisitionStatus.Malformed
            : rejected == 0 ? AcquisitionStatus.Completed
            : rejected == results.Count ? AcquisitionStatus.Failed
            : AcquisitionStatus.PartiallyFailed;
        var bytes = results.Sum(r => r.SizeBytes);
        // Not the request's token: a client that hung up must still leave a closed batch behind.
        await db.AcquisitionBatches.Where(b => b.Id == batch.Id).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, status)
            .SetProperty(b => b.Received, results.Count)
            .SetProperty(b => b.Stored, stored)
            .SetProperty(b => b.AlreadyStored, already)
            .SetProperty(b => b.Rejected, rejected)
            .SetProperty(b => b.ReceivedBytes, bytes)
            .SetProperty(b => b.Error, error)
            .SetProperty(b => b.CompletedAt, DateTimeOffset.UtcNow), CancellationToken.None);
    }
}
