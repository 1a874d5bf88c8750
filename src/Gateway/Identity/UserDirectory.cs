using MedImaging.Gateway.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Gateway.Identity;

/// <summary>Finds users and checks their passwords. Every refusal looks the same to the caller (no user enumeration).</summary>
internal sealed class UserDirectory(GatewayDbContext db, IPasswordHasher<GatewayUser> hasher, TimeProvider clock)
{
    // Verifying against a fixed hash when the user is unknown keeps the answer time the same as for a wrong password.
    private static readonly string DummyHash = new PasswordHasher<GatewayUser>().HashPassword(new GatewayUser { UserName = "-" }, Guid.NewGuid().ToString());

    public Task<GatewayUser?> FindAsync(string userName, CancellationToken ct) =>
        db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct);

    public Task<GatewayUser?> FindByIdAsync(Guid id, CancellationToken ct) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);

    /// <summary>The user when the name and password match an enabled account, otherwise null.</summary>
    public async Task<GatewayUser?> SignInAsync(string? userName, string? password, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password) || userName.Length > 100)
            return null;
        var user = await FindAsync(userName, ct);
        var result = hasher.VerifyHashedPassword(user ?? new GatewayUser { UserName = userName }, user?.PasswordHash ?? DummyHash, password);
        if (user is null || user.Disabled || result == PasswordVerificationResult.Failed)
            return null;
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
            user.PasswordHash = hasher.HashPassword(user, password);
        user.LastSignInAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return user;
    }
}
