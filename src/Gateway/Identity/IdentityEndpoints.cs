using MedImaging.Gateway.Proxy;

namespace MedImaging.Gateway.Identity;

public static class IdentityEndpoints
{
    /// <summary>The token server's endpoints (discovery and keys are answered by OpenIddict itself) and the sign-in page.</summary>
    public static IEndpointRouteBuilder MapIdentityEndpoints(this IEndpointRouteBuilder app)
    {
        var identity = app.MapGroup("").WithTags("Identity").AllowAnonymous().ExcludeFromDescription();
        identity.MapPost(IdentityExtensions.TokenPath, TokenEndpoint.Exchange).WithName("IssueToken")
            .RequireRateLimiting(RateLimiting.SignInPolicy).DisableAntiforgery();
        identity.MapMethods(IdentityExtensions.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeEndpoint.Authorize).WithName("Authorize")
            .DisableAntiforgery();
        identity.MapGet(IdentityExtensions.LoginPath, LoginPage.Show).WithName("LoginPage");
        identity.MapPost(IdentityExtensions.LoginPath, LoginPage.Submit).WithName("Login")
            .RequireRateLimiting(RateLimiting.SignInPolicy).DisableAntiforgery();
        identity.MapPost(IdentityExtensions.LogoutPath, (Delegate)LoginPage.SignOut).WithName("Logout").DisableAntiforgery();
        app.MapSignInLockoutApi();
        app.MapAccountsApi();
        return app;
    }
}
