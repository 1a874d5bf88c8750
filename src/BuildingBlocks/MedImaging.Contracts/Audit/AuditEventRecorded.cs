namespace MedImaging.Contracts.Audit;

/// <summary>
/// One audited action (审计, §4.4.1, §4.8.6): who did what to which resource, on which node, with what outcome. Every
/// service stages it in its own outbox — in the same transaction as the change it records, or alone for a read or a
/// refusal — and the node's audit trail (the Exchange service, ADR 0020) appends it to its hash chain, once per
/// <see cref="EventId"/>. Never carries a patient's identity: the actor is a user or a client, the resource a catalogue
/// entry, study or key.
/// </summary>
public sealed record AuditEventRecorded : IntegrationEvent
{
    /// <summary>Unique per action; the audit trail stores each event id once, however often it is delivered.</summary>
    public Guid EventId { get; init; } = Guid.CreateVersion7();

    /// <summary>The host that saw the action: gateway, registration, metadata, directory, exchange, inference.</summary>
    public required string Service { get; init; }

    public required AuditActor Actor { get; init; }

    /// <summary>One of <see cref="AuditActions.All"/>.</summary>
    public required string Action { get; init; }

    public AuditResource? Resource { get; init; }

    public required AuditOutcome Outcome { get; init; }

    /// <summary>The caller's address as the service saw it (after the node gateway's X-Forwarded-For).</summary>
    public string? SourceAddress { get; init; }

    public string? UserAgent { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>A few words on what happened beyond the action's name (counts of a batch, the state moved to…); no PHI.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Who acted: a user (subject = the gateway's user id) or a client (subject = client id). Display name is the user's
/// or client's, never a patient's. Anonymous callers (a 401) have subject "anonymous".
/// </summary>
public sealed record AuditActor
{
    public required string SubjectId { get; init; }
    public string? DisplayName { get; init; }

    /// <summary>The roles the token carried (design roles: adapter, cataloguer, …).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The OAuth client the token was issued to (portal, dev-pacs-adapter, svc-registration …).</summary>
    public string? ClientId { get; init; }

    /// <summary>The node the caller belongs to (its token's <c>node</c> claim).</summary>
    public string? Node { get; init; }

    /// <summary>The caller's institution (registry code) for hospital staff and adapters; null for node-wide staff.</summary>
    public string? Institution { get; init; }

    /// <summary>The caller's clearance (public, internal, restricted, confidential).</summary>
    public string? Clearance { get; init; }
}

/// <summary>What was acted on. Kind is e.g. "catalogue-entry", "acquisition-batch", "metadata-set", "phi-key", "user", "client".</summary>
public sealed record AuditResource
{
    public required string Kind { get; init; }
    public string? Id { get; init; }

    /// <summary>A human-facing identifier: the entry's 资源标识符 (OID), a set's code, a user name.</summary>
    public string? Identifier { get; init; }

    /// <summary>The resource's 安全限制分级 (§4.7.2.18) when it has one.</summary>
    public string? Classification { get; init; }

    /// <summary>The institution (registry code) the resource belongs to, when it has one.</summary>
    public string? Institution { get; init; }
}

/// <summary>success, denied (refused by authentication or authorization) or failed (with the reason).</summary>
public sealed record AuditOutcome
{
    public const string SuccessCode = "success";
    public const string DeniedCode = "denied";
    public const string FailedCode = "failed";

    public required string Result { get; init; }
    public string? Reason { get; init; }

    public static AuditOutcome Success { get; } = new() { Result = SuccessCode };
    public static AuditOutcome Denied(string reason) => new() { Result = DeniedCode, Reason = reason };
    public static AuditOutcome Failed(string reason) => new() { Result = FailedCode, Reason = reason };
}
