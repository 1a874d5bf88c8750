namespace MedImaging.Exchange.Federation;

/// <summary>
/// The last fact this node applied of one entry, its own or another node's (table <c>federated_entries</c>): facts of an
/// entry arrive on several queues and links, late or twice, and only one newer than this is applied and passed on.
/// </summary>
public sealed class FederatedEntryRecord
{
    public required string OriginNode { get; init; }
    public required Guid ResourceId { get; init; }
    public int RecordVersion { get; set; }
    public required string Kind { get; set; }

    /// <summary>The neighbour it came from; null for this node's own entries.</summary>
    public string? ReceivedFrom { get; set; }

    /// <summary>The nodes it came through, origin first (empty for own entries).</summary>
    public List<string> Path { get; set; } = [];

    /// <summary>The share type it arrived with (unconditional, conditional); null for own entries.</summary>
    public string? Share { get; set; }
    public string? ClassificationCode { get; set; }
    public string? SecurityClassification { get; set; }

    /// <summary>When the neighbour sent it and when it was applied here: their difference is the link's lag.</summary>
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset AppliedAt { get; set; }

    /// <summary>Later facts of one version win: revised (reopened) &lt; published &lt; withdrawn or unshared.</summary>
    public static int Rank(string kind) => kind switch
    {
        Contracts.Exchange.FederatedEntry.Revised => 0,
        Contracts.Exchange.FederatedEntry.Published => 1,
        _ => 2,
    };

    public bool IsOlderThan(int version, string kind) => RecordVersion < version || (RecordVersion == version && Rank(Kind) < Rank(kind));
}

/// <summary>
/// What this node sent across one link of one entry (table <c>federation_shares</c>): revisions and withdrawals follow
/// the entry to the neighbours that hold it, and a changed rule withdraws it from those that may no longer.
/// </summary>
public sealed class FederationShare
{
    public required string Target { get; init; }
    public required string OriginNode { get; init; }
    public required Guid ResourceId { get; init; }
    public int RecordVersion { get; set; }

    /// <summary>The last kind sent: published, revised, withdrawn or unshared. Held by the target unless withdrawn or unshared.</summary>
    public required string Kind { get; set; }
    public required string Direction { get; set; }
    public string? Share { get; set; }
    public string? ClassificationCode { get; set; }
    public string? SecurityClassification { get; set; }
    public DateTimeOffset SentAt { get; set; }

    public bool Held => Kind is Contracts.Exchange.FederatedEntry.Published or Contracts.Exchange.FederatedEntry.Revised;
}

/// <summary>An arriving entry refused by the checks (table <c>federation_refusals</c>): set aside, reported, never applied.</summary>
public sealed class FederationRefusal
{
    public long Id { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public string? Sender { get; init; }
    public string? OriginNode { get; init; }
    public Guid? ResourceId { get; init; }
    public int? RecordVersion { get; init; }
    public string? Kind { get; init; }
    public required string Reason { get; init; }

    /// <summary>The message as it arrived (JSON), for the operator who investigates.</summary>
    public required string Message { get; init; }
}
