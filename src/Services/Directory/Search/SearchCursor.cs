using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace MedImaging.Directory.Search;

/// <summary>
/// A keyset position (ADR 0025): the last hit's sort value (score, publication time or title) and key, for the query it
/// was issued for. Opaque to callers, signed so that a changed or foreign cursor is refused instead of read.
/// </summary>
public sealed record SearchCursor(CatalogSort Sort, bool Descending, double Score, DateTimeOffset PublishedAt, string Title, EntryKey Key)
{
    private const byte Version = 1;
    private const int MacLength = 16;

    public string Encode(byte[] key, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write((byte)Sort);
            w.Write(Descending);
            w.Write(fingerprint);
            w.Write(Score);
            w.Write(PublishedAt.UtcTicks);
            w.Write(Title);
            w.Write(Key.OriginNode);
            w.Write(Key.ResourceId.ToByteArray());
        }
        var bytes = body.ToArray();
        return Base64Url(bytes.Concat(Mac(key, bytes)).ToArray());
    }

    /// <summary>The position in <paramref name="cursor"/>; an ArgumentException for parameter "cursor" when it is not one issued for this query.</summary>
    public static SearchCursor Decode(string cursor, byte[] key, string fingerprint, CatalogSort sort, bool descending)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            var raw = Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/') + new string('=', (4 - cursor.Length % 4) % 4));
            if (raw.Length <= MacLength) throw Refused();
            var (bytes, mac) = (raw[..^MacLength], raw[^MacLength..]);
            if (!CryptographicOperations.FixedTimeEquals(mac, Mac(key, bytes))) throw Refused();
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (r.ReadByte() != Version) throw Refused();
            var (s, d, f) = ((CatalogSort)r.ReadByte(), r.ReadBoolean(), r.ReadString());
            if (s != sort || d != descending || f != fingerprint)
                throw new ArgumentException("The cursor belongs to another query or order; start again without it.", nameof(cursor));
            return new SearchCursor(s, d, r.ReadDouble(), new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero), r.ReadString(),
                new EntryKey(r.ReadString(), new Guid(r.ReadBytes(16))));
        }
        catch (Exception ex) when (ex is FormatException or EndOfStreamException or ArgumentOutOfRangeException)
        {
            throw Refused();
        }
    }

    private static ArgumentException Refused() => new("The cursor is not one this directory issued.", "cursor");

    private static byte[] Mac(byte[] key, byte[] bytes) => HMACSHA256.HashData(key, bytes)[..MacLength];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The key cursors are signed with, the same at every Directory host of the node (ADR 0025): <c>Directory:CursorKey</c>
/// (base64) when configured, otherwise one random key the first host stores in the node's Redis and the others read.
/// </summary>
public sealed class SearchCursorKey(IConfiguration configuration, IConnectionMultiplexer redis)
{
    private const string RedisKey = "directory:search-cursor-key";
    private byte[]? _key;

    public async Task<byte[]> GetAsync()
    {
        if (_key is { } known) return known;
        if (configuration["Directory:CursorKey"] is { Length: > 0 } configured) return _key = Convert.FromBase64String(configured);
        var db = redis.GetDatabase();
        await db.StringSetAsync(RedisKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), when: When.NotExists);
        var stored = await db.StringGetAsync(RedisKey);
        return _key = Convert.FromBase64String(stored.ToString());
    }

    /// <summary>What a cursor is bound to: the query's text, filters and order (not its facets or page size).</summary>
    public static string Fingerprint(CatalogQuery q)
    {
        ArgumentNullException.ThrowIfNull(q);
        var parts = string.Join('\u001f', q.Text, q.ExpandConcepts, Join(q.Classifications), Join(q.Modalities), Join(q.BodyParts), Join(q.Institutions),
            Join(q.Nodes), Join(q.SecurityClassifications), Join(q.Kinds), Join(q.StudyInstanceUids), q.StudyDateFrom, q.StudyDateTo,
            q.PublishedFrom?.UtcTicks, q.PublishedTo?.UtcTicks, q.Where?.ToString());
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(parts));
        return Convert.ToHexString(hash, 0, 8);
    }

    private static string Join(IReadOnlyList<string> values) => string.Join('\u001e', values.Order(StringComparer.Ordinal));
}
