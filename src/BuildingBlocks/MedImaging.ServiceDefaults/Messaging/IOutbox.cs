namespace MedImaging.ServiceDefaults.Messaging;

/// <summary>
/// Stages integration events in the service's DbContext. They are written by the caller's next SaveChanges — in the
/// same transaction as the state change — and published afterwards by the relay. Never publish facts directly.
/// </summary>
public interface IOutbox
{
    void Enqueue<TMessage>(TMessage message) where TMessage : class;
}
