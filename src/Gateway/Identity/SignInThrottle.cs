using System.Globalization;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// Gateway:SignIn — per-account back-off and lockout. After each wrong password the account waits
/// <see cref="BackoffSeconds"/> × 2^(n−1) (at most <see cref="MaxBackoffSeconds"/>) before the next attempt is judged;
/// every <see cref="MaxFailures"/>th consecutive failure locks it for <see cref="LockoutMinutes"/>, doubled for each
/// lockout in a row (at most <see cref="MaxLockoutMinutes"/>). A success or an administrator's unlock starts again.
/// </summary>
public sealed class SignInSettings
{
    public const string Section = "Gateway:SignIn";

    public int MaxFailures { get; set; } = 5;
    public double LockoutMinutes { get; set; } = 15;
    public double MaxLockoutMinutes { get; set; } = 24 * 60;
    public double BackoffSeconds { get; set; } = 1;
    public double MaxBackoffSeconds { get; set; } = 30;

    /// <summary>Failures older than this are forgotten (the counter expires in Redis).</summary>
    public double RememberHours { get; set; } = 24;

    internal bool IsValid => MaxFailures > 0 && LockoutMinutes > 0 && MaxLockoutMinutes >= LockoutMinutes
        && BackoffSeconds >= 0 && MaxBackoffSeconds >= BackoffSeconds && RememberHours > 0;
}

/// <summary>An account's sign-in failures as the node's gateways share them.</summary>
public sealed record SignInState(
    string UserName, long Failures, DateTimeOffset? LockedUntil, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastFailureAt, string? LastAddress);

/// <summary>
/// Counts sign-in failures per account name in Redis, so that every gateway instance of the node sees them, and says
/// whether an attempt may be judged now. Unknown names are counted like real ones: the answers never tell them apart.
/// </summary>
internal sealed class SignInThrottle(IConnectionMultiplexer redis, ServiceHostContext host, IOptionsMonitor<SignInSettings> options, TimeProvider clock)
{
    private const string Failures = "failures", LockedUntil = "lockedUntil", NextAttempt = "nextAttemptAt",
        LastFailure = "lastFailureAt", LastAddress = "lastAddress", Name = "userName";

    private RedisKey Index => GatewayRedis.Key(host.Node, "sign-in:index");

    private RedisKey Account(string normalized) => GatewayRedis.Key(host.Node, "sign-in:account:" + normalized);

    // Case and surrounding blanks do not make a new account to guess against.
    private static string Normalize(string userName) => userName.Trim().ToLowerInvariant();

    /// <summary>The account's state when it holds failures, else null.</summary>
    public async Task<SignInState?> GetAsync(string userName)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(Account(Normalize(userName)));
        return entries.Length == 0 ? null : Read(entries);
    }

    /// <summary>Records a wrong password; returns the state after it (locked when this failure reached the threshold).</summary>
    public async Task<SignInState> RecordFailureAsync(string userName, string? address)
    {
        var settings = options.CurrentValue;
        var normalized = Normalize(userName);
        var key = Account(normalized);
        var db = redis.GetDatabase();
        // HINCRBY is atomic: two gateways counting at once get distinct numbers, so the threshold is reached exactly once.
        var failures = await db.HashIncrementAsync(key, Failures);
        var now = clock.GetUtcNow();
        var cycle = (failures - 1) % settings.MaxFailures + 1; // 1 … MaxFailures within the current run
        var fields = new List<HashEntry>
        {
            new(Name, userName), new(LastFailure, now.ToUnixTimeMilliseconds()), new(LastAddress, address ?? ""),
        };
        if (cycle == settings.MaxFailures)
        {
            var lockouts = failures / settings.MaxFailures;
            var minutes = Math.Min(settings.MaxLockoutMinutes, settings.LockoutMinutes * Math.Pow(2, Math.Min(lockouts - 1, 30)));
            fields.Add(new(LockedUntil, now.AddMinutes(minutes).ToUnixTimeMilliseconds()));
            fields.Add(new(NextAttempt, 0));
        }
        else
        {
            var seconds = Math.Min(settings.MaxBackoffSeconds, settings.BackoffSeconds * Math.Pow(2, cycle - 1));
            fields.Add(new(NextAttempt, now.AddSeconds(seconds).ToUnixTimeMilliseconds()));
        }
        var remember = TimeSpan.FromHours(settings.RememberHours) + TimeSpan.FromMinutes(settings.MaxLockoutMinutes);
        var batch = db.CreateBatch();
        var writes = Task.WhenAll(
            batch.HashSetAsync(key, [.. fields]),
            batch.KeyExpireAsync(key, remember),
            batch.SetAddAsync(Index, normalized));
        batch.Execute();
        await writes;
        return (await GetAsync(userName))!;
    }

    /// <summary>Forgets the account's failures (a success, or an administrator's unlock). True when there were any.</summary>
    public async Task<bool> ResetAsync(string userName)
    {
        var normalized = Normalize(userName);
        var db = redis.GetDatabase();
        var removed = await db.KeyDeleteAsync(Account(normalized));
        await db.SetRemoveAsync(Index, normalized);
        return removed;
    }

    /// <summary>Every account holding failures, locked ones first.</summary>
    public async Task<IReadOnlyList<SignInState>> ListAsync()
    {
        var db = redis.GetDatabase();
        var states = new List<SignInState>();
        foreach (var member in await db.SetMembersAsync(Index))
        {
            var entries = await db.HashGetAllAsync(Account(member!));
            if (entries.Length == 0) await db.SetRemoveAsync(Index, member); // expired
            else states.Add(Read(entries));
        }
        var now = clock.GetUtcNow();
        return [.. states.OrderByDescending(s => s.LockedUntil > now).ThenByDescending(s => s.LastFailureAt)];
    }

    private static SignInState Read(HashEntry[] entries)
    {
        var map = entries.ToDictionary(e => e.Name.ToString(), e => e.Value);
        DateTimeOffset? Time(string field) => map.TryGetValue(field, out var v) && long.TryParse((string?)v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return new SignInState(
            map.GetValueOrDefault(Name).ToString(),
            map.TryGetValue(Failures, out var f) ? (long)f : 0,
            Time(LockedUntil), Time(NextAttempt), Time(LastFailure),
            map.GetValueOrDefault(LastAddress) is { IsNullOrEmpty: false } a ? a.ToString() : null);
    }
}
