using System.Globalization;
using MedImaging.Gateway.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// Finds users and checks their passwords, behind the per-account back-off and lockout of <see cref="SignInThrottle"/>.
/// Every refusal looks the same for known and unknown names (no user enumeration).
/// </summary>
internal sealed class UserDirectory(GatewayDbContext db, IPasswordHasher<GatewayUser> hasher, SignInThrottle throttle, TimeProvider clock, ILogger<UserDirectory> log)
{
    // Verifying against a fixed hash when the user is unknown keeps the answer time the same as for a wrong password.
    private static readonly string DummyHash = new PasswordHasher<GatewayUser>().HashPassword(new GatewayUser { UserName = "-" }, Guid.NewGuid().ToString());

    public Task<GatewayUser?> FindAsync(string userName, CancellationToken ct) =>
        db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct);

    public Task<GatewayUser?> FindByIdAsync(Guid id, CancellationToken ct) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);

    /// <summary>
    /// The user when the name and password match an enabled account and the account is neither locked nor waiting out
    /// its back-off; otherwise why not. While locked or backing off the password is not even checked.
    /// <paramref name="onSuccess"/> runs before the sign-in is saved, so what it stages (the audit event) is written in the
    /// same transaction.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string? userName, string? password, string? address, Action<GatewayUser>? onSuccess, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password) || userName.Length > 100)
            return SignInOutcome.Wrong;

        var now = clock.GetUtcNow();
        if (await throttle.GetAsync(userName) is { } state)
        {
            if (state.LockedUntil > now) return new SignInOutcome(null, state.LockedUntil, null, state.Failures, SignInRefusals.Locked);
            if (state.NextAttemptAt > now) return new SignInOutcome(null, null, state.NextAttemptAt, state.Failures, SignInRefusals.BackingOff);
        }

        var user = await FindAsync(userName, ct);
        var result = hasher.VerifyHashedPassword(user ?? new GatewayUser { UserName = userName }, user?.PasswordHash ?? DummyHash, password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            var after = await throttle.RecordFailureAsync(userName, address);
            if (after.LockedUntil > now)
            {
                log.LogWarning("Sign-in of {UserName} locked until {LockedUntil:o} after {Failures} consecutive failures (last from {Address})",
                    userName, after.LockedUntil, after.Failures, address);
                // Refused for the wrong password; the lockout is what it led to (the audit event says until when).
                return new SignInOutcome(null, after.LockedUntil, null, after.Failures, SignInRefusals.InvalidCredentials);
            }
            return SignInOutcome.Wrong with { Failures = after.Failures };
        }
        if (user.Disabled)
            return SignInOutcome.Wrong with { Refusal = SignInRefusals.Disabled };

        await throttle.ResetAsync(userName);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
            user.PasswordHash = hasher.HashPassword(user, password);
        user.LastSignInAt = now;
        onSuccess?.Invoke(user);
        await db.SaveChangesAsync(ct);
        return new SignInOutcome(user, null, null, 0, null);
    }
}

/// <summary>
/// Why a sign-in was refused, as the audit trail records it. A wrong password and an unknown name are one reason, so the
/// trail read by many does not tell which names exist; the caller is told even less (one message for all but the wait).
/// </summary>
internal static class SignInRefusals
{
    public const string InvalidCredentials = "invalid-credentials";
    public const string Locked = "locked";
    public const string BackingOff = "backing-off";
    public const string Disabled = "disabled";
}

/// <summary>What became of a sign-in attempt; <see cref="Refusal"/> is one of <see cref="SignInRefusals"/> when refused.</summary>
internal sealed record SignInOutcome(GatewayUser? User, DateTimeOffset? LockedUntil, DateTimeOffset? RetryAt, long Failures, string? Refusal)
{
    public static readonly SignInOutcome Wrong = new(null, null, null, 0, SignInRefusals.InvalidCredentials);

    /// <summary>When the caller may try again (Retry-After), for a locked or backing-off account.</summary>
    public DateTimeOffset? WaitUntil => LockedUntil ?? RetryAt;

    /// <summary>The refusal in Chinese and in English, as the sign-in page and the token endpoint both say it.</summary>
    public (string Zh, string En) Message(DateTimeOffset now)
    {
        if (LockedUntil is { } until)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes));
            return (string.Create(CultureInfo.InvariantCulture, $"连续登录失败 {Failures} 次，账户已临时锁定至 {until:yyyy-MM-dd HH:mm:ss} UTC（约 {minutes} 分钟），请稍后重试或联系管理员解锁。"),
                    string.Create(CultureInfo.InvariantCulture, $"The account is locked after {Failures} failed sign-ins until {until:yyyy-MM-dd HH:mm:ss} UTC (about {minutes} min); try again later or ask an administrator to unlock it."));
        }
        if (RetryAt is { } retry)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((retry - now).TotalSeconds));
            return ($"登录失败次数过多，请在 {seconds} 秒后重试。", $"Too many failed sign-ins: wait {seconds} s before the next attempt.");
        }
        return ("用户名或密码错误，或账户已停用。", "Wrong user name or password, or the account is disabled.");
    }
}
