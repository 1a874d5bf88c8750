using MedImaging.Contracts.Audit;

namespace MedImaging.Exchange.Audit.Export;

/// <summary>A coded value of the DICOM audit message schema: code, coding scheme, meaning (PS3.15 A.5.1 CodedValueType).</summary>
public sealed record AtnaCode(string Code, string System, string Meaning)
{
    public static AtnaCode Dcm(string code, string meaning) => new(code, "DCM", meaning);
}

/// <summary>How one audited action reads as a DICOM audit message: EventID, EventActionCode, an EventTypeCode where DCM has one.</summary>
public sealed record AtnaEvent(AtnaCode EventId, string ActionCode, AtnaCode? EventType = null);

/// <summary>
/// The action → DCM code mapping of the ATNA export (PS3.16 CID 400 audit event ids, CID 401 event type codes; the table
/// and its reasons are in ADR 0023). Every action of <see cref="AuditActions.All"/> has an entry; a test checks it.
/// </summary>
public static class AtnaCodes
{
    /// <summary>Our own code systems, for what DICOM has no codes for (roles, resource kinds, the action itself).</summary>
    public const string ActionSystem = "urn:medimagingcatalog:audit-action";
    public const string RoleSystem = "urn:medimagingcatalog:role";
    public const string ResourceKindSystem = "urn:medimagingcatalog:resource-kind";

    public static readonly AtnaCode ApplicationActivity = AtnaCode.Dcm("110100", "Application Activity");
    public static readonly AtnaCode AuditLogUsed = AtnaCode.Dcm("110101", "Audit Log Used");
    public static readonly AtnaCode InstancesAccessed = AtnaCode.Dcm("110103", "DICOM Instances Accessed");
    public static readonly AtnaCode Export = AtnaCode.Dcm("110106", "Export");
    public static readonly AtnaCode Import = AtnaCode.Dcm("110107", "Import");
    public static readonly AtnaCode PatientRecord = AtnaCode.Dcm("110110", "Patient Record");
    public static readonly AtnaCode SecurityAlert = AtnaCode.Dcm("110113", "Security Alert");
    public static readonly AtnaCode UserAuthentication = AtnaCode.Dcm("110114", "User Authentication");

    public static readonly AtnaCode Login = AtnaCode.Dcm("110122", "Login");
    public static readonly AtnaCode SecurityConfiguration = AtnaCode.Dcm("110129", "Security Configuration");
    public static readonly AtnaCode UseOfRestrictedFunction = AtnaCode.Dcm("110132", "Use of Restricted Function");
    public static readonly AtnaCode UserSecurityAttributesChanged = AtnaCode.Dcm("110137", "User Security Attributes Changed");
    public static readonly AtnaCode NodeAuthentication = AtnaCode.Dcm("110126", "Node Authentication");

    /// <summary>RoleIDCode of the service that saw the action (the second active participant).</summary>
    public static readonly AtnaCode ApplicationRole = AtnaCode.Dcm("110150", "Application");

    private static readonly AtnaEvent CatalogueUpdate = new(InstancesAccessed, "U");

    public static readonly IReadOnlyDictionary<string, AtnaEvent> Events = new Dictionary<string, AtnaEvent>(StringComparer.Ordinal)
    {
        [AuditActions.SignIn] = new(UserAuthentication, "E", Login),
        [AuditActions.TokenIssued] = new(UserAuthentication, "E", Login),
        [AuditActions.Unauthenticated] = new(SecurityAlert, "E", UseOfRestrictedFunction),
        [AuditActions.Forbidden] = new(SecurityAlert, "E", UseOfRestrictedFunction),
        [AuditActions.IngestBatch] = new(Import, "C"),
        [AuditActions.EntryCreate] = new(InstancesAccessed, "C"),
        [AuditActions.EntryCatalogue] = CatalogueUpdate,
        [AuditActions.EntryRegister] = CatalogueUpdate,
        [AuditActions.EntryApprove] = CatalogueUpdate,
        [AuditActions.EntryReject] = CatalogueUpdate,
        [AuditActions.EntryPublish] = CatalogueUpdate,
        [AuditActions.EntryRevise] = CatalogueUpdate,
        [AuditActions.EntryWithdraw] = CatalogueUpdate,
        [AuditActions.BulkApprove] = CatalogueUpdate,
        [AuditActions.BulkPublish] = CatalogueUpdate,
        [AuditActions.EntryRead] = new(InstancesAccessed, "R"),
        [AuditActions.PhiRead] = new(PatientRecord, "R"),
        [AuditActions.PhiKeyRotation] = new(SecurityAlert, "E", SecurityConfiguration),
        [AuditActions.MetadataSchemaChange] = new(ApplicationActivity, "U"),
        [AuditActions.ClassificationChange] = new(ApplicationActivity, "U"),
        [AuditActions.IdentifierChange] = new(ApplicationActivity, "U"),
        [AuditActions.CatalogueExport] = new(Export, "R"),
        [AuditActions.AccountChange] = new(SecurityAlert, "U", UserSecurityAttributesChanged),
        [AuditActions.DirectoryRebuild] = new(ApplicationActivity, "E"),
        // A neighbour's entry that failed its signature or path checks: a node authentication alert.
        [AuditActions.FederationRefused] = new(SecurityAlert, "E", NodeAuthentication),
        // Entries taken back from a neighbour they were exported to.
        [AuditActions.FederationUnshared] = new(Export, "D"),
        [AuditActions.AuditQuery] = new(AuditLogUsed, "R"),
        [AuditActions.AuditVerify] = new(AuditLogUsed, "E"),
        [AuditActions.AuditExport] = new(AuditLogUsed, "R"),
    };

    /// <summary>An action recorded before this mapping knew it still exports, as the application activity it was.</summary>
    public static AtnaEvent For(string action) => Events.TryGetValue(action, out var e) ? e : new AtnaEvent(ApplicationActivity, "E");

    /// <summary>EventOutcomeIndicator: success 0; refused (401/403, a wrong password) 4, minor; failed 8, serious.</summary>
    public static string Outcome(string outcome) => outcome switch
    {
        AuditOutcome.SuccessCode => "0",
        AuditOutcome.DeniedCode => "4",
        _ => "8",
    };

    /// <summary>ParticipantObjectTypeCodeRole (PS3.15 A.5.1.2.2) by resource kind; null where none of the roles fits.</summary>
    public static string? ObjectRole(string kind) => kind switch
    {
        "user" or "client" => "11",                                   // Security User Entity
        "phi-key" or "audit-trail" => "13",                           // Security Resource
        "metadata-set" or "metadata-element" or "classification" or "classification-scheme" or "dicom-mapping"
            or "identifier-rule" => "5",                              // Master File
        "acquisition-batch" => "20",                                  // Job
        _ => null,
    };

    /// <summary>ParticipantObjectDataLifeCycle (PS3.15 A.5.1.2.3) where the action says it.</summary>
    public static string? LifeCycle(string action) => action switch
    {
        AuditActions.EntryCreate => "1",                              // Origination
        AuditActions.IngestBatch => "2",                              // Import
        AuditActions.EntryCatalogue or AuditActions.EntryRevise => "3", // Amendment
        AuditActions.EntryApprove or AuditActions.BulkApprove => "4", // Verification
        AuditActions.EntryRead or AuditActions.PhiRead or AuditActions.AuditQuery => "6", // Access/Use
        AuditActions.AuditExport or AuditActions.CatalogueExport => "10", // Export
        AuditActions.EntryPublish or AuditActions.BulkPublish => "11", // Disclosure
        AuditActions.EntryWithdraw => "14",                           // Logical deletion
        _ => null,
    };
}
