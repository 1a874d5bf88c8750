using MedImaging.Contracts.Audit;
using MedImaging.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.ServiceDefaults.Audit;

internal sealed class AuditTrail<TContext>(IOutbox outbox, IServiceScopeFactory scopes) : IAuditTrail where TContext : DbContext
{
    public void Stage(AuditEventRecorded audit) => outbox.Enqueue(Checked(audit));

    public async Task WriteAsync(AuditEventRecorded audit, CancellationToken ct = default)
    {
        Checked(audit);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        db.Set<OutboxMessage>().Add(OutboxMessage.For(audit, audit.CorrelationId));
        // The request may already be cancelled (a client that hung up after a 403): the record is still written.
        await db.SaveChangesAsync(CancellationToken.None);
        ct.ThrowIfCancellationRequested();
    }

    private static AuditEventRecorded Checked(AuditEventRecorded audit) =>
        AuditActions.All.Contains(audit.Action) ? audit
            : throw new ArgumentException($"'{audit.Action}' is not an audited action (AuditActions.All).", nameof(audit));
}
