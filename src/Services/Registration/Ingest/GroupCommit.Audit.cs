using System.Globalization;
using MedImaging.Contracts.Audit;
using MedImaging.Registration.Domain;

namespace MedImaging.Registration.Ingest;

// The ingest-batch audit record, completed with what became of the request's instances.
internal sealed partial class GroupCommit
{
    /// <summary>
    /// A batch is audited as a success when it stored what it could (completed, or partially failed: the counts say how
    /// much failed), as failed when nothing of it could be stored or the request was refused whole (400, 413, 415).
    /// Counts only: no UID, no patient data.
    /// </summary>
    internal static AuditEventRecorded BatchAudit(AuditEventRecorded audit, IReadOnlyList<InstanceResult> results, string? error)
    {
        var status = IngestUnit.Status(results, error);
        var failed = results.Count(r => r.Outcome == InstanceOutcome.Failed);
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        return audit with
        {
            Outcome = status switch
            {
                AcquisitionStatus.Malformed => AuditOutcome.Failed(error!),
                AcquisitionStatus.Failed => AuditOutcome.Failed($"none of the {N(results.Count)} instance(s) could be stored"),
                _ => AuditOutcome.Success,
            },
            Details = new Dictionary<string, string>(audit.Details, StringComparer.Ordinal)
            {
                ["status"] = status.ToString(), ["received"] = N(results.Count),
                ["stored"] = N(results.Count(r => r.Outcome == InstanceOutcome.Stored)),
                ["newVersions"] = N(results.Count(r => r.Outcome == InstanceOutcome.NewVersion)),
                ["duplicate"] = N(results.Count(r => r.Outcome == InstanceOutcome.AlreadyStored)),
                ["failed"] = N(failed),
                ["studies"] = N(results.Where(r => r.Succeeded).Select(r => r.StudyInstanceUid).Distinct().Count()),
            },
        };
    }
}
