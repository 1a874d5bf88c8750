using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MedImaging.Gateway.Proxy;

/// <summary>Gateway:RateLimit — a fixed window per caller (token subject when the bearer token is valid, else client IP).</summary>
public sealed class RateLimitSettings
{
    public const string Section = "Gateway:RateLimit";

    public int PermitLimit { get; set; } = 600;

    /// <summary>
    /// The allowance of machine callers (PACS adapters, peer nodes), which push studies instance by instance: a
    /// 600-per-minute human limit would hold a PACS at 10 instances/s.
    /// </summary>
    public int MachinePermitLimit { get; set; } = 60_000;
    public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// Sign-in requests (POST /connect/token, POST /account/login) per client address and window, whoever they name:
    /// the per-account lockout stops guessing one password, this stops spraying many accounts from one address.
    /// </summary>
    public int SignInPermitLimit { get; set; } = 60;
}

/// <summary>
/// The gateway's rate limits, counted in Redis (<see cref="RedisFixedWindowLimiter"/>) so that every instance of the
/// node's gateway shares them (ADR 0018).
/// </summary>
internal static class RateLimiting
{
    public const string SignInPolicy = "gateway-sign-in";

    public static WebApplicationBuilder AddGatewayRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section)
            .Validate(s => s.PermitLimit > 0 && s.MachinePermitLimit > 0 && s.WindowSeconds > 0 && s.SignInPermitLimit > 0,
                $"{RateLimitSettings.Section}: PermitLimit, MachinePermitLimit, SignInPermitLimit and WindowSeconds must be positive.");
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(NodeProxyConfig.RateLimiterPolicy, context =>
            {
                var settings = Settings(context);
                var limit = IsMachine(context) ? settings.MachinePermitLimit : settings.PermitLimit;
                return Partition(context, "proxy:" + PartitionKey(context), limit, settings.WindowSeconds);
            });
            options.AddPolicy(SignInPolicy, context =>
            {
                var settings = Settings(context);
                return Partition(context, "sign-in:ip:" + ClientAddress(context), settings.SignInPermitLimit, settings.WindowSeconds);
            });
            options.OnRejected = RejectAsync;
        });
        return builder;
    }

    private static RateLimitSettings Settings(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitSettings>>().CurrentValue;

    // The limit is part of the key: a changed setting starts a fresh window instead of judging by the old count.
    private static RateLimitPartition<string> Partition(HttpContext context, string key, int limit, int windowSeconds)
    {
        var node = context.RequestServices.GetRequiredService<ServiceHostContext>().Node;
        var redisKey = GatewayRedis.Key(node, $"rate:{key}:{limit}/{windowSeconds}");
        return RateLimitPartition.Get(redisKey.ToString(), _ => new RedisFixedWindowLimiter(
            context.RequestServices.GetRequiredService<IConnectionMultiplexer>(), redisKey, limit, TimeSpan.FromSeconds(windowSeconds)));
    }

    // Only a token the gateway validated names the partition; an unvalidated subject would let a caller pick its own.
    internal static string PartitionKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue("sub") is { } sub
            ? "sub:" + sub
            : "ip:" + ClientAddress(context);

    internal static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static bool IsMachine(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && (context.User.IsInRole(Roles.Adapter) || context.User.IsInRole(Roles.Node));

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var http = rejected.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"The gateway's rate limit ({RateLimitSettings.Section}) for this caller is exhausted; retry later. 请求过于频繁，请稍后重试。",
            },
        });
    }
}
