using MedImaging.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.ServiceDefaults.Messaging;

/// <summary>What an operator asks when events seem not to arrive: how many wait, since when, and why they fail.</summary>
public sealed record OutboxStatus(int Pending, DateTimeOffset? OldestPendingSince, IReadOnlyList<StuckMessage> Failing);

public sealed record StuckMessage(Guid Id, string MessageType, DateTimeOffset CreatedAt, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError);

public interface IOutboxMonitor
{
    Task<OutboxStatus> GetStatusAsync(CancellationToken ct);
}

internal sealed class OutboxMonitor<TContext>(TContext db) : IOutboxMonitor where TContext : DbContext
{
    public async Task<OutboxStatus> GetStatusAsync(CancellationToken ct)
    {
        var pending = db.Set<OutboxMessage>().AsNoTracking().Where(m => m.SentAt == null);
        var count = await pending.CountAsync(ct);
        var oldest = count == 0 ? null : await pending.MinAsync(m => (DateTimeOffset?)m.CreatedAt, ct);
        var failing = await pending.Where(m => m.Attempts > 0).OrderBy(m => m.Sequence).Take(50)
            .Select(m => new StuckMessage(m.Id, m.MessageType, m.CreatedAt, m.Attempts, m.NextAttemptAt, m.LastError)).ToListAsync(ct);
        return new OutboxStatus(count, oldest, failing);
    }
}

internal static class OutboxMonitorEndpoints
{
    public static void MapOutboxMonitor(this IEndpointRouteBuilder app)
    {
        // Only hosts with a database (and so an outbox) have the monitor.
        if (app.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(IOutboxMonitor)) != true) return;
        app.MapGet("/admin/outbox", (IOutboxMonitor monitor, CancellationToken ct) => monitor.GetStatusAsync(ct))
            .WithName("GetOutboxStatus").WithSummary("Events waiting to be published, the oldest one, and those failing with their last error")
            .WithTags("Operations").RequireAuthorization(Policies.Admin);
    }
}
