using System.Text;
using System.Text.Json;
using MedImaging.Contracts.Audit;

namespace MedImaging.Exchange.Audit;

/// <summary>
/// Turns a delivered event into the row the chain stores. The row holds exactly what is hashed: times cut to
/// microseconds, NUL characters (which PostgreSQL text cannot hold) replaced by U+FFFD, the short columns cut to their
/// length, and missing required parts (an event from a newer or broken sender) named "unknown" rather than refused —
/// a record that cannot be appended would be a record lost.
/// </summary>
public static class ChainEntry
{
    public const string Unknown = "unknown";
    private const int ShortColumn = 200;

    public static AuditRecord Create(AuditEventRecorded e, long sequence, byte[] previousHash, DateTimeOffset recordedAt)
    {
        var row = new AuditRecord
        {
            Sequence = sequence,
            EventId = e.EventId,
            RecordedAt = ChainCanonicalForm.ToMicroseconds(recordedAt),
            OccurredAt = ChainCanonicalForm.ToMicroseconds(e.OccurredAt),
            Node = Short(e.OriginNode) ?? Unknown,
            Service = Short(e.Service) ?? Unknown,
            ActorId = Short(e.Actor?.SubjectId) ?? Unknown,
            ActorName = Clean(e.Actor?.DisplayName),
            ActorRoles = [.. (e.Actor?.Roles ?? []).Select(r => Clean(r) ?? "")],
            ClientId = Clean(e.Actor?.ClientId),
            ActorNode = Clean(e.Actor?.Node),
            ActorInstitution = Clean(e.Actor?.Institution),
            ActorClearance = Clean(e.Actor?.Clearance),
            Action = Short(e.Action) ?? Unknown,
            ResourceKind = Clean(e.Resource?.Kind),
            ResourceId = Clean(e.Resource?.Id),
            ResourceIdentifier = Clean(e.Resource?.Identifier),
            ResourceClassification = Clean(e.Resource?.Classification),
            ResourceInstitution = Clean(e.Resource?.Institution),
            Outcome = Short(e.Outcome?.Result) ?? Unknown,
            OutcomeReason = Clean(e.Outcome?.Reason),
            SourceAddress = Clean(e.SourceAddress),
            UserAgent = Clean(e.UserAgent),
            CorrelationId = Clean(e.CorrelationId),
            Details = JsonSerializer.Serialize((e.Details ?? new Dictionary<string, string>())
                .GroupBy(d => Clean(d.Key) ?? "", StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Clean(g.Last().Value), StringComparer.Ordinal)),
            PreviousHash = previousHash,
            // Filled below: the hash covers every other field, so it is taken once the row is complete.
            Hash = new byte[32],
        };
        ChainCanonicalForm.Hash(row).CopyTo(row.Hash, 0);
        return row;
    }

    // NUL and unpaired surrogates cannot be stored as PostgreSQL text (nor hashed as UTF-8 unambiguously): U+FFFD for both.
    private static string? Clean(string? s)
    {
        if (s is null) return null;
        if (s.Contains('\0', StringComparison.Ordinal)) s = s.Replace('\0', '\uFFFD');
        return s.Any(char.IsSurrogate) ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)) : s;
    }

    private static string? Short(string? s) => Clean(s) is { } c && c.Length > ShortColumn ? c[..ShortColumn] : Clean(s);
}
