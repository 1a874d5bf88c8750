using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MedImaging.ServiceDefaults.Messaging;

/// <summary>
/// Base for every consumer: the inbox row (message id, consumer), the handler's changes and any events the handler
/// stages in the outbox commit in one transaction. A redelivered message finds its inbox row and does nothing; a
/// handler that throws rolls the row back, so the retry handles the message again from scratch.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TContext>(TContext db, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
    where TContext : DbContext
{
    protected TContext Db => db;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId; the inbox cannot deduplicate it.");
        var consumer = GetType().Name;
        var schema = db.Model.GetDefaultSchema() ?? "public";

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(context.CancellationToken);
            // A concurrent duplicate blocks on the primary key until the first commits, then inserts nothing.
            var sql = $"""INSERT INTO "{schema}".inbox_messages (message_id, consumer, message_type, received_at) VALUES (@id, @consumer, @type, now()) ON CONFLICT DO NOTHING""";
            var inserted = await db.Database.ExecuteSqlRawAsync(sql,
                [new NpgsqlParameter("id", messageId), new NpgsqlParameter("consumer", consumer), new NpgsqlParameter("type", typeof(TMessage).FullName)],
                context.CancellationToken);
            if (inserted == 0)
            {
                logger.LogInformation("{Consumer} already handled message {MessageId}; skipping the duplicate", consumer, messageId);
                await tx.RollbackAsync(context.CancellationToken);
                return;
            }

            await HandleAsync(context);
            await db.SaveChangesAsync(context.CancellationToken);
            await tx.CommitAsync(context.CancellationToken);
        });
    }

    /// <summary>Apply the message to the service's state through <see cref="Db"/>; do not call SaveChanges.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context);
}
