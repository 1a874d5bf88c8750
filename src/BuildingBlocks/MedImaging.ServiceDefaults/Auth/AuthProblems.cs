using System.Globalization;
using MedImaging.ServiceDefaults.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedImaging.ServiceDefaults.Auth;

/// <summary>
/// 401 and 403 as RFC 7807 problem details that say what is missing — no token, an expired one, a wrong audience,
/// issuer or key; or which policy and roles the endpoint wants and which roles the token carries. The 401 keeps its
/// WWW-Authenticate header (RFC 6750 §3). Each refusal is audited first (<see cref="AccessRefusals"/>).
/// </summary>
internal static class AuthProblems
{
    /// <summary>JwtBearerEvents.OnChallenge: writes the 401 itself instead of the handler's empty body.</summary>
    public static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var token = BearerToken(http.Request);
        var (reason, detail) = Explain(context.AuthenticateFailure, token);
        await AccessRefusals.UnauthenticatedAsync(http, reason, token);
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = reason == "token_missing"
            ? context.Options.Challenge
            : $"{context.Options.Challenge} error=\"invalid_token\", error_description=\"{HeaderSafe(detail)}\"";
        await Write(http, StatusCodes.Status401Unauthorized, "Authentication required", detail, new Dictionary<string, object?> { ["reason"] = reason });
    }

    // RFC 6750 §3: error_description is printable ASCII without '"' and '\'. The Chinese half of the detail stays in the
    // body; Kestrel refuses a non-ASCII header value, which turned every expired-token 401 into a 500.
    private static string HeaderSafe(string detail) =>
        new string([.. detail.Replace('"', '\'').Where(c => c is >= ' ' and <= '~' and not '\\')]).Trim();

    private static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header[7..].Trim() : null;

    // The caller's own token, unvalidated, only to echo back what it says (the exception hides it as PII).
    private static string Audiences(string? token)
    {
        try
        {
            return token is null ? "" : string.Join(", ", new JsonWebToken(token).Audiences);
        }
        catch (ArgumentException)
        {
            return "";
        }
    }

    internal static (string Reason, string Detail) Explain(Exception? failure, string? token) => failure switch
    {
        null when token is null => ("token_missing",
            "No access token: send 'Authorization: Bearer <token>' with a token from the node gateway's /connect/token. 缺少访问令牌。"),
        SecurityTokenExpiredException e => ("token_expired", string.Create(CultureInfo.InvariantCulture,
            $"The access token expired at {e.Expires:yyyy-MM-dd HH:mm:ss} UTC; get a new one from the node gateway's /connect/token. 访问令牌已过期。")),
        SecurityTokenNotYetValidException e => ("token_not_yet_valid", string.Create(CultureInfo.InvariantCulture,
            $"The access token is valid only from {e.NotBefore:yyyy-MM-dd HH:mm:ss} UTC (check the clocks). 访问令牌尚未生效。")),
        SecurityTokenInvalidAudienceException e => ("invalid_audience",
            $"The token's audience '{(string.IsNullOrEmpty(e.InvalidAudience) ? Audiences(token) : e.InvalidAudience)}' is not '{NodeSigningKey.Audience}': it was not issued for this node's APIs. 令牌的受众不正确。"),
        SecurityTokenInvalidIssuerException e => ("invalid_issuer",
            $"The token's issuer '{e.InvalidIssuer}' is not this node's gateway. 令牌不是本节点网关签发的。"),
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => ("invalid_signature",
            "The token is not signed with this node's key (issued by another node, or tampered with). 令牌签名无效。"),
        SecurityTokenInvalidTypeException e => ("invalid_token_type",
            $"The token type '{e.InvalidType}' is not an access token (at+jwt); an id token cannot call the APIs. 令牌类型不是访问令牌。"),
        null => ("invalid_token", "The bearer token could not be validated. 访问令牌无效。"),
        _ => ("invalid_token", $"The bearer token is not a valid access token: {failure.Message.Split('\n')[0]} 访问令牌无效。"),
    };

    internal static Task Write(HttpContext http, int status, string title, string detail, IDictionary<string, object?> extensions)
    {
        var problem = new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = status, Title = title, Detail = detail } };
        foreach (var (key, value) in extensions) problem.ProblemDetails.Extensions[key] = value;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(problem).AsTask();
    }
}

/// <summary>
/// Turns a refused authorization (403) into a problem naming the endpoint's policies, the roles any one of which would
/// do, and the roles the token carries. Challenges (no or bad token) go to the authentication handler as before.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (policy.AuthenticationSchemes.Count > 0)
            foreach (var scheme in policy.AuthenticationSchemes) await context.ForbidAsync(scheme);
        else
            await context.ForbidAsync();

        var policies = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList() ?? [];
        var roles = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>()
            .SelectMany(r => r.AllowedRoles).Distinct(StringComparer.Ordinal).ToList() ?? [];
        await AccessRefusals.ForbiddenAsync(context, policies, roles);
        var held = context.User.FindAll("role").Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        var detail = (policies.Count > 0 ? $"This endpoint requires policy {string.Join(", ", policies.Select(p => $"'{p}'"))}" : "This endpoint's authorization policy is not met")
            + (roles.Count > 0 ? $": one of the roles {string.Join(", ", roles)}" : "")
            + $". The token of '{context.User.Actor()}' carries {(held.Count > 0 ? "the roles " + string.Join(", ", held) : "no role")}. 权限不足。";
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await AuthProblems.Write(context, StatusCodes.Status403Forbidden, "Forbidden", detail, new Dictionary<string, object?>
        {
            ["requiredPolicies"] = policies,
            ["requiredRoles"] = roles,
            ["roles"] = held,
        });
    }
}
