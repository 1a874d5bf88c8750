using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MedImaging.Directory.Discovery;

/// <summary>A session the caller owns, found and touched (its expiry slid forward).</summary>
public sealed record OpenSession(string Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>A result set of a session: its size, the hit count of its search, and whether the keys were capped.</summary>
public sealed record StoredResultSet(string Id, long Hits, int Size, bool Capped);

/// <summary>
/// Sessions and result sets in the node's Redis, so that every replica of the Directory host serves every session. Keys
/// are prefixed by node and database (two nodes, or two test nodes, on one Redis never meet). A session, its list of
/// result sets, and each result set's metadata and keys all carry the same sliding expiry: every use of the session
/// renews them together, so they expire together and never outlive each other.
/// </summary>
public sealed class DiscoveryStore(IConnectionMultiplexer redis, ServiceHostContext host, IOptionsMonitor<DiscoveryOptions> options, TimeProvider clock)
{
    private const int PushChunk = 1000;

    private IDatabase Db => redis.GetDatabase();
    private TimeSpan Idle => options.CurrentValue.IdleTimeout;
    private string Prefix => $"medcat:{host.RequiredNode.NodeId}:{host.RequiredNode.Database}:directory:";
    private RedisKey Session(string id) => Prefix + "session:" + id;
    private RedisKey SessionSets(string id) => Prefix + "session:" + id + ":result-sets";
    private RedisKey Set(string rs) => Prefix + "result-set:" + rs;
    private RedisKey SetKeys(string rs) => Prefix + "result-set:" + rs + ":keys";

    public async Task<OpenSession> CreateAsync(string owner)
    {
        var id = NewId();
        var now = clock.GetUtcNow();
        var db = Db;
        await db.HashSetAsync(Session(id), [new("owner", owner), new("createdAt", now.ToUnixTimeMilliseconds())]);
        await db.KeyExpireAsync(Session(id), Idle);
        return new OpenSession(id, now, now + Idle);
    }

    /// <summary>The caller's session, its expiry renewed; null when it does not exist (any more) or is another caller's.</summary>
    public async Task<OpenSession?> OpenAsync(string id, string owner)
    {
        if (!IsId(id)) return null;
        var db = Db;
        var fields = await db.HashGetAsync(Session(id), ["owner", "createdAt"]);
        if (fields[0].IsNull || fields[0] != owner) return null;
        var sets = await db.ListRangeAsync(SessionSets(id));
        await TouchAsync(db, id, sets);
        return new OpenSession(id, DateTimeOffset.FromUnixTimeMilliseconds((long)fields[1]), clock.GetUtcNow() + Idle);
    }

    /// <summary>Ends the caller's session and drops its result sets; false when there is no such session of this caller.</summary>
    public async Task<bool> TerminateAsync(string id, string owner)
    {
        if (!IsId(id)) return false;
        var db = Db;
        if (await db.HashGetAsync(Session(id), "owner") is var o && (o.IsNull || o != owner)) return false;
        var sets = await db.ListRangeAsync(SessionSets(id));
        await db.KeyDeleteAsync([Session(id), SessionSets(id), .. sets.SelectMany(rs => new[] { Set(rs!), SetKeys(rs!) })]);
        return true;
    }

    /// <summary>Stores a search's keys as a new result set of the session; the session's oldest set goes beyond the limit.</summary>
    public async Task<ResultSetCreated> SaveResultSetAsync(OpenSession session, IReadOnlyList<EntryKey> keys, long hits, bool capped)
    {
        var rs = NewId();
        var db = Db;
        foreach (var chunk in keys.Chunk(PushChunk)) await db.ListRightPushAsync(SetKeys(rs), [.. chunk.Select(Encode)]);
        await db.HashSetAsync(Set(rs), [new("session", session.Id), new("hits", hits), new("size", keys.Count), new("capped", capped)]);
        var count = await db.ListRightPushAsync(SessionSets(session.Id), rs);
        for (; count > options.CurrentValue.MaxResultSets; count--)
            if (await db.ListLeftPopAsync(SessionSets(session.Id)) is { IsNull: false } oldest) await db.KeyDeleteAsync([Set(oldest!), SetKeys(oldest!)]);
        await TouchAsync(db, session.Id, await db.ListRangeAsync(SessionSets(session.Id)));
        return new ResultSetCreated(rs, hits, keys.Count, capped, clock.GetUtcNow() + Idle);
    }

    /// <summary>A result set of this session; null when it has expired, was dropped, or belongs to another session.</summary>
    public async Task<StoredResultSet?> ResultSetAsync(OpenSession session, string rs)
    {
        if (!IsId(rs)) return null;
        var f = await Db.HashGetAsync(Set(rs), ["session", "hits", "size", "capped"]);
        if (f[0].IsNull || f[0] != session.Id) return null;
        return new StoredResultSet(rs, (long)f[1], (int)f[2], (bool)f[3]);
    }

    /// <summary>The keys at 1-based positions <paramref name="position"/> … <paramref name="position"/> + <paramref name="count"/> − 1.</summary>
    public async Task<IReadOnlyList<EntryKey>> KeysAsync(StoredResultSet set, int position, int count)
    {
        var values = await Db.ListRangeAsync(SetKeys(set.Id), position - 1, position - 1 + count - 1);
        return [.. values.Select(v => Decode(v!))];
    }

    private async Task TouchAsync(IDatabase db, string id, RedisValue[] sets)
    {
        var idle = Idle;
        var batch = db.CreateBatch();
        var renewals = new List<Task> { batch.KeyExpireAsync(Session(id), idle), batch.KeyExpireAsync(SessionSets(id), idle) };
        foreach (var rs in sets)
        {
            renewals.Add(batch.KeyExpireAsync(Set(rs!), idle));
            renewals.Add(batch.KeyExpireAsync(SetKeys(rs!), idle));
        }
        batch.Execute();
        await Task.WhenAll(renewals);
    }

    // 128 random bits: the id is what a client holds; guessing another caller's is hopeless, and anonymous callers share an owner.
    private static string NewId() => System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);

    // Ids are ours (32 hex digits): anything else is not looked up, so a caller cannot reach other keys through them.
    private static bool IsId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private static RedisValue Encode(EntryKey key) => $"{key.OriginNode}/{key.ResourceId:N}";

    private static EntryKey Decode(string value)
    {
        var slash = value.LastIndexOf('/');
        return new EntryKey(value[..slash], Guid.ParseExact(value[(slash + 1)..], "N"));
    }
}
