using System.Text.Json;
using MassTransit;
using MedImaging.Contracts.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedImaging.ServiceDefaults.Messaging;

public sealed class OutboxRelayOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int BatchSize { get; set; } = 100;
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the relay lets messages gather after a wake-up before it takes a batch. A writer that commits hundreds of
    /// times a second (ingest's group commit) would otherwise cost a relay transaction, and its fsync, per commit.
    /// </summary>
    public TimeSpan Coalesce { get; set; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>
/// Publishes the outbox in order. A batch is locked (FOR UPDATE SKIP LOCKED, so several replicas can run), published
/// with broker confirms, and marked sent in the same transaction. A crash between publish and commit republishes the
/// batch with the same message ids: delivery is at-least-once and the consumers' inbox makes the effect exactly-once.
/// </summary>
internal sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<OutboxRelayOptions> options,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService where TContext : DbContext
{
    private readonly OutboxRelayOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await PublishBatchAsync(stoppingToken);
                failures = 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                var delay = Backoff(failures);
                logger.LogWarning(ex, "Outbox relay for {Context} failed ({Failures} in a row); retrying in {Delay}", typeof(TContext).Name, failures, delay);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            // A full batch means there is probably more: go again at once.
            if (published < _options.BatchSize && await WaitAsync(stoppingToken) && _options.Coalesce > TimeSpan.Zero)
                await Task.Delay(_options.Coalesce, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // True when woken by a commit that staged messages, false at the poll interval (or on stopping).
    private async Task<bool> WaitAsync(CancellationToken ct)
    {
        try
        {
            return await signal.WaitAsync(_options.PollInterval, ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(_options.MaxBackoff.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(failures, 16))));

    internal async Task<int> PublishBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IBus>();
        var schema = db.Model.GetDefaultSchema() ?? "public";

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The schema comes from the service's own model, the batch size from its options: no caller input reaches this SQL.
        var sql = $"""
                SELECT * FROM "{schema}".outbox_messages
                WHERE sent_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                ORDER BY sequence LIMIT {_options.BatchSize}
                FOR UPDATE SKIP LOCKED
                """;
        var batch = await db.Set<OutboxMessage>().FromSqlRaw(sql).ToListAsync(ct);
        OutboxMetrics.Polls.Add(1, new KeyValuePair<string, object?>("context", typeof(TContext).Name));

        var sent = 0;
        // Audit events travel together (AuditEventsRecorded): one broker message for the batch's audit rows.
        var audit = new List<(OutboxMessage Row, AuditEventRecorded Event)>();
        foreach (var message in batch)
        {
            object body;
            Type type;
            try
            {
                (type, body) = Materialize(message);
            }
            catch (Exception ex) when (ex is InvalidOperationException or JsonException or NotSupportedException)
            {
                // A poison message (its type is gone, its body unreadable) will never publish: set it aside for an
                // operator (GET /admin/outbox) instead of blocking every event behind it.
                Fail(message, ex, TimeSpan.FromHours(1));
                continue;
            }
            if (body is AuditEventRecorded auditEvent)
            {
                audit.Add((message, auditEvent));
                continue;
            }
            try
            {
                await PublishAsync(bus, message, type, body, ct);
                MarkSent(message);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The broker refused or is away: keep the order, stop at the first failure and retry it later.
                Fail(message, ex, Backoff(message.Attempts + 1));
                break;
            }
        }
        if (audit.Count > 0) sent += await PublishAuditAsync(bus, audit, ct);

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return sent;
    }

    private static void MarkSent(OutboxMessage message)
    {
        message.SentAt = DateTimeOffset.UtcNow;
        OutboxMetrics.Published.Add(1, new KeyValuePair<string, object?>("type", message.MessageType));
    }

    // The audit rows of a batch as one message. Its id is the first row's, so a republish after a crash before the
    // commit is the same message to the broker's consumers; the trail dedups by event id either way.
    private async Task<int> PublishAuditAsync(IBus bus, List<(OutboxMessage Row, AuditEventRecorded Event)> audit, CancellationToken ct)
    {
        var first = audit[0];
        var batch = new AuditEventsRecorded { OriginNode = first.Event.OriginNode, Events = [.. audit.Select(a => a.Event)] };
        try
        {
            await PublishAsync(bus, first.Row, typeof(AuditEventsRecorded), batch, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var (row, _) in audit) Fail(row, ex, Backoff(row.Attempts + 1));
            return 0;
        }
        foreach (var (row, _) in audit) MarkSent(row);
        return audit.Count;
    }

    private void Fail(OutboxMessage message, Exception ex, TimeSpan retryIn)
    {
        OutboxMetrics.Failures.Add(1, new KeyValuePair<string, object?>("type", message.MessageType));
        message.Attempts++;
        message.LastError = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
        message.NextAttemptAt = DateTimeOffset.UtcNow + retryIn;
        logger.LogWarning(ex, "Outbox message {MessageId} ({Type}) failed to publish, attempt {Attempt}; next try in {RetryIn}", message.Id, message.MessageType, message.Attempts, retryIn);
    }

    private static (Type Type, object Body) Materialize(OutboxMessage message)
    {
        var type = ContractTypes.Resolve(message.MessageType);
        var body = JsonSerializer.Deserialize(message.Body, type, MessageJson.Options)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty body.");
        return (type, body);
    }

    private static async Task PublishAsync(IBus bus, OutboxMessage message, Type type, object body, CancellationToken ct)
    {
        // With publisher confirms on (the RabbitMQ default in MassTransit), this completes when the broker has the message.
        await bus.Publish(body, type, ctx =>
        {
            ctx.MessageId = message.Id;
            if (Guid.TryParse(message.CorrelationId, out var correlation)) ctx.CorrelationId = correlation;
            if (message.CorrelationId is not null) ctx.Headers.Set(Logging.CorrelationContext.HeaderName, message.CorrelationId);
        }, ct);
    }
}
