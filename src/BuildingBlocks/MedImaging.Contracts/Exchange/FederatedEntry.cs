namespace MedImaging.Contracts.Exchange;

/// <summary>
/// One catalogue fact crossing a federation link (§4.4.2 交换传输, ADR 0032): sent by a node's Exchange service into its
/// queue for that link, carried by a RabbitMQ shovel into the neighbour's <c>federation.in</c> queue, and checked there
/// before anything of it is kept. Not an <see cref="IntegrationEvent"/>: it is addressed to one neighbour, never published.
/// </summary>
public sealed record FederatedEntry
{
    /// <summary>published, revised, withdrawn (the origin's facts) or unshared (a link's rule no longer lets it cross).</summary>
    public required string Kind { get; init; }

    public required string OriginNode { get; init; }
    public required Guid ResourceId { get; init; }
    public required int RecordVersion { get; init; }

    /// <summary>
    /// The origin's fact as JSON (ResourcePublished, ResourceRevised or ResourceWithdrawn; for unshared, the sender's
    /// <see cref="UnsharedEntry"/>), without the patient pseudonym, which is re-keyed per link. Signed as these exact bytes.
    /// </summary>
    public required string Payload { get; init; }

    /// <summary>ES256 (IEEE P1363, base64url) by the origin node's federation key over the UTF-8 bytes of <see cref="Payload"/>; null for unshared.</summary>
    public string? OriginSignature { get; init; }

    /// <summary>The patient pseudonym as this link's receiver may see it (re-keyed by each sender whose rule says so).</summary>
    public string? PatientPseudonym { get; init; }

    /// <summary>The nodes the entry has been at, origin first, the sender last.</summary>
    public required IReadOnlyList<string> Path { get; init; }

    public required string Sender { get; init; }
    public required string Recipient { get; init; }

    /// <summary>unconditional or conditional: the strictest share type of the links crossed so far.</summary>
    public required string Share { get; init; }

    /// <summary>ES256 by the sender's federation key over <see cref="HopStatement"/>: binds the pseudonym, path, share and addressee to the payload.</summary>
    public required string HopSignature { get; init; }

    public DateTimeOffset SentAt { get; init; } = DateTimeOffset.UtcNow;

    public const string Published = "published";
    public const string Revised = "revised";
    public const string Withdrawn = "withdrawn";
    public const string Unshared = "unshared";

    /// <summary>What the sender signs: every field a hop may set, and the payload's SHA-256.</summary>
    public static string HopStatement(string kind, string sender, string recipient, string payloadSha256, string? pseudonym, IReadOnlyList<string> path, string share) =>
        string.Join('\n', "medcat-federation-hop/1", kind, sender, recipient, payloadSha256, pseudonym ?? "", string.Join(',', path), share);
}

/// <summary>The payload of an unshared entry: which version the sender withdraws from the link, and why.</summary>
public sealed record UnsharedEntry(string OriginNode, Guid ResourceId, int RecordVersion, string Reason);
