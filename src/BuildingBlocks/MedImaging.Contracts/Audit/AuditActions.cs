namespace MedImaging.Contracts.Audit;

/// <summary>
/// The closed list of audited actions. A name is never reused for another meaning once events carry it; Directory,
/// Exchange, Inference and the portal add theirs here when they come.
/// </summary>
public static class AuditActions
{
    // Gateway
    public const string SignIn = "sign-in";                                   // a user's password or code sign-in (success or failure with the reason)
    public const string TokenIssued = "token-issued";                         // an access token issued to a client (client credentials)

    // Every service
    public const string Unauthenticated = "access-unauthenticated";           // a 401: no token, or a bad one
    public const string Forbidden = "access-forbidden";                       // a 403: the token lacks the role or scope

    // Registration
    public const string IngestBatch = "ingest-batch";                         // one STOW-RS / DICOM JSON request of an adapter
    public const string EntryCreate = "entry-create";                         // a resource catalogued by hand
    public const string EntryCatalogue = "entry-catalogue";
    public const string EntryRegister = "entry-register";
    public const string EntryApprove = "entry-approve";
    public const string EntryReject = "entry-reject";
    public const string EntryPublish = "entry-publish";
    public const string EntryRevise = "entry-revise";
    public const string EntryWithdraw = "entry-withdraw";
    public const string BulkApprove = "bulk-approve";                         // one record per bulk request, ids in Details
    public const string BulkPublish = "bulk-publish";
    public const string EntryRead = "entry-read";                             // a read of an entry classified restricted or above
    public const string PhiRead = "phi-read";                                 // a PHI vault read
    public const string PhiKeyRotation = "phi-key-rotation";

    // Metadata
    public const string MetadataSchemaChange = "metadata-schema-change";      // sets, versions, elements
    public const string ClassificationChange = "classification-change";       // classification schemes and DICOM rules
    public const string IdentifierChange = "identifier-change";               // identifier rules, issued identifiers

    // Directory
    public const string CatalogueExport = "catalogue-export";                 // catalogue records handed out in bulk (a result set retrieved with the full element set)

    // Gateway administration
    public const string AccountChange = "account-change";                     // a user's or client's roles, clearance or scope changed

    // Directory
    public const string DirectoryRebuild = "directory-rebuild";               // a rebuild of the read model from Registration's feed: started, finished

    // Exchange (federation, ADR 0032)
    public const string FederationRefused = "federation-refused";             // an entry from a neighbour failed a check (signature, path, addressee) and was set aside
    public const string FederationUnshared = "federation-unshared";           // entries withdrawn from a link because its rule changed

    // The audit trail itself (a regulator's own reads are audited too)
    public const string AuditQuery = "audit-query";
    public const string AuditVerify = "audit-verify";
    public const string AuditExport = "audit-export";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        SignIn, TokenIssued, Unauthenticated, Forbidden,
        IngestBatch, EntryCreate, EntryCatalogue, EntryRegister, EntryApprove, EntryReject, EntryPublish, EntryRevise, EntryWithdraw,
        BulkApprove, BulkPublish, EntryRead, PhiRead, PhiKeyRotation,
        MetadataSchemaChange, ClassificationChange, IdentifierChange,
        CatalogueExport,
        AccountChange,
        DirectoryRebuild,
        FederationRefused, FederationUnshared,
        AuditQuery, AuditVerify, AuditExport,
    };
}
