using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// The node administrator's view of sign-in abuse: every account name holding failures (known or not: a sprayed name
/// shows here too), which of them are locked and until when, and unlocking one. Admin role only.
/// </summary>
public static class SignInLockoutApi
{
    public const string Path = "/admin/sign-in/accounts";

    public sealed record AccountSignInState(
        string UserName, long Failures, bool Locked, DateTimeOffset? LockedUntil, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastFailureAt, string? LastAddress);

    public static IEndpointRouteBuilder MapSignInLockoutApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup(Path).WithTags("Sign-in").RequireAuthorization(Policies.Admin);
        admin.MapGet("/", List).WithName("ListSignInFailures")
            .WithSummary("Accounts with failed sign-ins: failure counts, lockouts and their end (locked first)");
        admin.MapDelete("/{userName}", Unlock).WithName("UnlockSignIn")
            .WithSummary("Unlock an account: forget its failures and end its lockout and back-off");
        return app;
    }

    internal static async Task<Ok<Paged<AccountSignInState>>> List(SignInThrottle throttle, TimeProvider clock, bool? lockedOnly, [AsParameters] PageQuery paging)
    {
        var now = clock.GetUtcNow();
        var states = (await throttle.ListAsync())
            .Select(s => new AccountSignInState(s.UserName, s.Failures, s.LockedUntil > now, s.LockedUntil, s.NextAttemptAt, s.LastFailureAt, s.LastAddress))
            .Where(s => lockedOnly != true || s.Locked)
            // Locked accounts first (what an administrator acts on), then the most failures; the name keeps pages stable.
            .OrderByDescending(s => s.Locked).ThenByDescending(s => s.Failures).ThenBy(s => s.UserName, StringComparer.Ordinal);
        return TypedResults.Ok(states.ToPaged(paging));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Unlock(string userName, SignInThrottle throttle, HttpContext http, ILogger<SignInThrottle> log)
    {
        if (!await throttle.ResetAsync(userName))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No sign-in failures recorded",
                detail: $"Account '{userName}' holds no failed sign-ins and is not locked.");
        log.LogWarning("Sign-in of {UserName} unlocked by {Actor}", userName, http.User.Actor());
        return TypedResults.NoContent();
    }
}
