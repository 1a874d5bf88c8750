using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using MedImaging.ServiceDefaults.Hosting;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MedImaging.Gateway.Identity;

/// <summary>The gateway's sign-in page for the portal's authorization code flow: Chinese first, English second.</summary>
internal static class LoginPage
{
    public static IResult Show(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        Render(context, antiforgery, returnUrl, userName: null, refusal: null, StatusCodes.Status200OK);

    public static async Task<IResult> Submit(HttpContext context, IAntiforgery antiforgery, UserDirectory users, GatewayAudit audit, ServiceHostContext host,
        TimeProvider clock, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The sign-in form expired; reload the page. 登录表单已过期，请刷新页面。");

        var form = await context.Request.ReadFormAsync(ct);
        var returnUrl = form["returnUrl"].ToString();
        // No client has authenticated yet on this page (the authorization request that follows names it): the actor is the
        // user with its clearance and institution, without a client id.
        var outcome = await users.SignInAsync(form["userName"], form["password"], context.Connection.RemoteIpAddress?.ToString(),
            u => audit.StageSignIn(context, TokenPrincipals.ForUser(u, [], clientId: null, host.Node?.NodeId), GatewayAudit.SignInPage), ct);
        if (outcome.User is not { } user)
        {
            await audit.SignInRefusedAsync(context, form["userName"], clientId: null, outcome, GatewayAudit.SignInPage);
            var now = clock.GetUtcNow();
            if (outcome.WaitUntil is { } until)
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            // 429 while locked or backing off: the form was fine, the account has to wait.
            return Render(context, antiforgery, returnUrl, form["userName"], outcome.Message(now),
                outcome.WaitUntil is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status429TooManyRequests);
        }

        var identity = new ClaimsIdentity(IdentityExtensions.LoginScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Id.ToString()));
        identity.AddClaim(new Claim(Claims.Name, user.UserName));
        await context.SignInAsync(IdentityExtensions.LoginScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/");
    }

    public static async Task<IResult> SignOut(HttpContext context)
    {
        await context.SignOutAsync(IdentityExtensions.LoginScheme);
        return Results.Redirect(IdentityExtensions.LoginPath);
    }

    // Only paths on this gateway: an absolute or protocol-relative URL would make the page an open redirector.
    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static IResult Render(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? userName, (string Zh, string En)? refusal, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        // Not HtmlEncoder.Default: it would turn every Chinese character into an entity.
        var h = HtmlEncoder.Create(UnicodeRanges.All);
        var error = refusal is var (zh, en)
            ? $"""<p class="error" role="alert">{h.Encode(zh)}<br><span lang="en">{h.Encode(en)}</span></p>"""
            : "";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>登录 · Sign in — 医学影像资源目录</title>
            <style>
              body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 24rem; margin: 4rem auto; padding: 0 1rem; }
              label { display: block; margin-top: 1rem; } input { width: 100%; padding: .4rem; box-sizing: border-box; }
              button { margin-top: 1.5rem; padding: .5rem 1.5rem; } .en { color: #555; font-size: .9em; } .error { color: #b00020; }
            </style>
            </head>
            <body>
            <h1>登录 <span class="en" lang="en">Sign in</span></h1>
            {{error}}
            <form method="post" action="{{IdentityExtensions.LoginPath}}">
              <input type="hidden" name="{{h.Encode(tokens.FormFieldName)}}" value="{{h.Encode(tokens.RequestToken ?? "")}}">
              <input type="hidden" name="returnUrl" value="{{h.Encode(returnUrl ?? "")}}">
              <label for="userName">用户名 <span class="en" lang="en">User name</span></label>
              <input id="userName" name="userName" autocomplete="username" required value="{{h.Encode(userName ?? "")}}">
              <label for="password">密码 <span class="en" lang="en">Password</span></label>
              <input id="password" name="password" type="password" autocomplete="current-password" required>
              <button type="submit">登录 <span lang="en">Sign in</span></button>
            </form>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
