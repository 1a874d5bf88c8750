using MedImaging.Contracts.Audit;
using MedImaging.Registration.Domain;
using MedImaging.ServiceDefaults.Logging;

namespace MedImaging.Registration.Ingest;

/// <summary>One instance of a request as the writer gets it: prepared for storing, or already failed (then only logged).</summary>
public sealed record IngestOp(PreparedInstance? Instance, InstanceResult? Failure)
{
    public int Ordinal => Instance?.Ordinal ?? Failure!.Ordinal;
}

/// <summary>
/// Closes the acquisition batch: the results of the request's earlier units and, for a broken body, the error; and the
/// request's ingest-batch audit record, which the commit that closes the batch completes (counts, outcome) and writes.
/// </summary>
public sealed record BatchClose(IReadOnlyList<InstanceResult> Earlier, string? Error, AuditEventRecorded? Audit = null);

/// <summary>
/// A piece of one request for the writer: its batch (written on the first unit, closed by the last), some instances in
/// order, and on the last unit the close. Completes once committed, with a result per op in the same order.
/// </summary>
public sealed class IngestUnit(AcquisitionBatch batch, IReadOnlyList<IngestOp> ops, BatchClose? close)
{
    private readonly TaskCompletionSource<IReadOnlyList<InstanceResult>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AcquisitionBatch Batch => batch;
    public IReadOnlyList<IngestOp> Ops => ops;
    public BatchClose? Close => close;
    public Task<IReadOnlyList<InstanceResult>> Committed => _done.Task;

    /// <summary>The request's correlation id (units are made on the request's thread), carried into the events they cause.</summary>
    public string? CorrelationId { get; init; } = CorrelationContext.Current;

    internal void Complete(IReadOnlyList<InstanceResult> results) => _done.TrySetResult(results);

    internal void Fail(Exception error) => _done.TrySetException(error);

    /// <summary>The batch row's status once closed with these results (§4.9.4).</summary>
    public static AcquisitionStatus Status(IReadOnlyCollection<InstanceResult> results, string? error)
    {
        var rejected = results.Count(r => r.Outcome == InstanceOutcome.Failed);
        return error is not null ? AcquisitionStatus.Malformed
            : rejected == 0 ? AcquisitionStatus.Completed
            : rejected == results.Count ? AcquisitionStatus.Failed
            : AcquisitionStatus.PartiallyFailed;
    }
}
