using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.ServiceDefaults.Messaging;

internal sealed class Outbox<TContext>(TContext db) : IOutbox where TContext : DbContext
{
    public void Enqueue<TMessage>(TMessage message) where TMessage : class => db.Set<OutboxMessage>().Add(OutboxMessage.For(message));
}

/// <summary>Wakes the relay early. A missed signal costs one polling interval, never a message.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _gate = new(0, 1);

    public void Notify()
    {
        try { _gate.Release(); }
        catch (SemaphoreFullException) { /* already signalled */ }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _gate.WaitAsync(timeout, ct);

    public void Dispose() => _gate.Dispose();
}

internal static class MessageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
