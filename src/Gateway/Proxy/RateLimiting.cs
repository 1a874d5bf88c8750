using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

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
    public int QueueLimit { get; set; }
}

internal static class RateLimiting
{
    public static WebApplicationBuilder AddGatewayRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section)
            .Validate(s => s.PermitLimit > 0 && s.MachinePermitLimit > 0 && s.WindowSeconds > 0 && s.QueueLimit >= 0, $"{RateLimitSettings.Section}: PermitLimit and WindowSeconds must be positive.");
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(NodeProxyConfig.RateLimiterPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitSettings>>().CurrentValue;
                return RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = IsMachine(context) ? settings.MachinePermitLimit : settings.PermitLimit,
                    Window = TimeSpan.FromSeconds(settings.WindowSeconds),
                    QueueLimit = settings.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
            });
            options.OnRejected = RejectAsync;
        });
        return builder;
    }

    // Only a token the gateway validated names the partition; an unvalidated subject would let a caller pick its own.
    internal static string PartitionKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue("sub") is { } sub
            ? "sub:" + sub
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

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
