using MedImaging.Contracts.Audit;
using MedImaging.Metadata.Apis;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Logging;

namespace MedImaging.Metadata.Infrastructure.Seed;

/// <summary>
/// The seed files change the schema with no caller (a node's first start, an updated DICOM mapping after an upgrade):
/// their audit events name the seed itself as the actor, and are staged with the change like any other.
/// </summary>
internal static class SeedAudit
{
    public const string Actor = "seed";

    public static AuditEventRecorded Event(ServiceHostContext host, string action, string kind, string subject, string identifier, string change,
        params (string Key, object Value)[] details) => new()
    {
        OriginNode = host.Node?.NodeId ?? "unconfigured",
        Service = host.ServiceName,
        Actor = new AuditActor { SubjectId = Actor, DisplayName = "Metadata seed files", Node = host.Node?.NodeId },
        Action = action,
        Resource = new AuditResource { Kind = kind, Id = subject, Identifier = identifier },
        Outcome = AuditOutcome.Success,
        CorrelationId = CorrelationContext.Current,
        Details = details.Append(("change", change))
            .ToDictionary(d => d.Key, d => Convert.ToString(d.Value, System.Globalization.CultureInfo.InvariantCulture)!, StringComparer.Ordinal),
    };
}
