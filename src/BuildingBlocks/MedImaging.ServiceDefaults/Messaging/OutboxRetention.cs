using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedImaging.ServiceDefaults.Messaging;

public sealed class OutboxRetentionOptions
{
    /// <summary>Sent outbox rows older than this are deleted (they are only needed to answer "was it published?").</summary>
    public TimeSpan SentMessages { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Inbox rows older than this are deleted. Must exceed the longest time a duplicate can still arrive (broker
    /// redelivery, a relay restored from backup); a duplicate older than this would be handled again.
    /// </summary>
    public TimeSpan InboxEntries { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Keeps the outbox and inbox from growing without bound. Unsent messages are never deleted, however old: a message
/// that cannot be published is an operator's problem to see, not to lose.
/// </summary>
internal sealed class OutboxRetention<TContext>(IServiceScopeFactory scopes, IOptions<OutboxRetentionOptions> options, ILogger<OutboxRetention<TContext>> logger)
    : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        try
        {
            do
            {
                try
                {
                    await PurgeAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Outbox retention for {Context} failed; next try in {Interval}", typeof(TContext).Name, options.Value.Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // host stopping
        }
    }

    internal async Task PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = DateTimeOffset.UtcNow;
        var sentBefore = now - options.Value.SentMessages;
        var receivedBefore = now - options.Value.InboxEntries;
        var sent = await db.Set<OutboxMessage>().Where(m => m.SentAt != null && m.SentAt < sentBefore).ExecuteDeleteAsync(ct);
        var inbox = await db.Set<InboxMessage>().Where(m => m.ReceivedAt < receivedBefore).ExecuteDeleteAsync(ct);
        if (sent + inbox > 0)
            logger.LogInformation("{Context}: deleted {Sent} sent outbox message(s) and {Inbox} inbox entr(ies) past retention", typeof(TContext).Name, sent, inbox);
    }
}
