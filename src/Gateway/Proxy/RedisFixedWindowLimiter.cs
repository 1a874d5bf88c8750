using System.Globalization;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace MedImaging.Gateway.Proxy;

/// <summary>
/// A fixed window counted in Redis, so that every gateway instance of the node draws on the same allowance: the
/// first request of a window creates the counter with the window as its expiry, each request adds to it, and a request
/// beyond the limit is refused with the counter's remaining time as Retry-After. Holds no state of its own.
/// </summary>
internal sealed class RedisFixedWindowLimiter(IConnectionMultiplexer redis, RedisKey key, int permitLimit, TimeSpan window) : RateLimiter
{
    // INCRBY and PEXPIRE in one script: two instances starting a window at once must not leave a counter without expiry.
    private static readonly LuaScript Acquire = LuaScript.Prepare("""
        local count = redis.call('INCRBY', @key, @permits)
        if count == tonumber(@permits) then redis.call('PEXPIRE', @key, @windowMs) end
        local ttl = redis.call('PTTL', @key)
        if ttl < 0 then redis.call('PEXPIRE', @key, @windowMs); ttl = tonumber(@windowMs) end
        return { count, ttl }
        """);

    public override TimeSpan? IdleDuration => TimeSpan.MaxValue; // stateless: the partitioned limiter may drop it any time

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        try
        {
            return Lease(permitCount, (RedisResult[])redis.GetDatabase().ScriptEvaluate(Acquire, Arguments(permitCount))!);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Granted.Instance; // see AcquireAsyncCore
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        try
        {
            return Lease(permitCount, (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Acquire, Arguments(permitCount)))!);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Open while Redis is unreachable: a node whose Redis restarts keeps serving (its ready check says why);
            // sign-in itself fails closed, since the lockout cannot be checked (ADR 0018).
            return Granted.Instance;
        }
    }

    private object Arguments(int permitCount) => new
    {
        key,
        permits = permitCount.ToString(CultureInfo.InvariantCulture),
        windowMs = ((long)window.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
    };

    private RateLimitLease Lease(int permitCount, RedisResult[] result)
    {
        var count = (long)result[0];
        if (permitCount == 0 || count <= permitLimit) return Granted.Instance;
        return new Refused(TimeSpan.FromMilliseconds(Math.Max(0, (long)result[1])));
    }

    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Instance = new();
        public override bool IsAcquired => true;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    private sealed class Refused(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
