using System.Globalization;
using MedImaging.Contracts.Audit;
using MedImaging.ServiceDefaults.Audit;

namespace MedImaging.Metadata.Apis;

/// <summary>
/// The audit events of Metadata's changes (metadata schema, classification, identifiers; issue 11 item 4), staged in
/// the request's DbContext so that the change's own SaveChanges writes them: a change and its record never diverge.
/// A refused change (400, 404, 409) saves nothing and so records nothing — the trail says what changed, and the
/// refusals that matter to a regulator (401, 403) are recorded by every host anyway. The resource id is the change's
/// provenance subject (<c>set:basic/v2/element:keyword</c>), so the §4.8.5 d log with the old and new values is one
/// lookup away; the details say what changed in a few words and counts, never values of records.
/// </summary>
internal static class MetadataAudit
{
    public const string Set = "metadata-set";
    public const string SetVersion = "metadata-set-version";
    public const string Element = "metadata-element";
    public const string Entity = "metadata-entity";
    public const string ClassificationScheme = "classification-scheme";
    public const string ClassificationNode = "classification-node";
    public const string ClassificationRule = "dicom-classification-rule";
    public const string Identifier = "resource-identifier";

    public static void StageChange(this IAuditTrail audit, HttpContext http, string action, string kind, string subject, string identifier,
        string change, params (string Key, object? Value)[] details)
    {
        var written = new Dictionary<string, string>(StringComparer.Ordinal) { ["change"] = change };
        foreach (var (key, value) in details)
            if (value is not null) written[key] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        audit.Stage(AuditEvents.For(http, action, new AuditResource { Kind = kind, Id = subject, Identifier = identifier }, AuditOutcome.Success, written));
    }
}
