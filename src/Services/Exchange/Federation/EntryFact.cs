using System.Text.Json;
using MedImaging.Contracts.Registration;

namespace MedImaging.Exchange.Federation;

/// <summary>
/// A fact of one entry as this node's federation handles it, whether the node's own Registration published it or a
/// neighbour sent it: what it is, whose, its signed payload, and what the links so far made of it.
/// </summary>
public sealed record EntryFact(
    string Kind,
    string OriginNode,
    Guid ResourceId,
    int RecordVersion,
    string Payload,
    string? OriginSignature,
    string? PatientPseudonym,
    IReadOnlyList<string> Path,
    string? ArrivedAs,
    string? ClassificationCode,
    string? SecurityClassification,
    DateTimeOffset? SentAt = null,
    string? ReceivedFrom = null)
{
    /// <summary>The payload's JSON form: the same on every node, since the origin's signature covers these exact bytes.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A publication as its origin signs it: without the pseudonym (re-keyed per link) and the replication fields.</summary>
    public static string PayloadOf(ResourcePublished e) =>
        JsonSerializer.Serialize(e with { PatientPseudonym = null, ReplicationPath = [], SharedAs = null }, Json);

    public static string PayloadOf<T>(T fact) => JsonSerializer.Serialize(fact, Json);
}
