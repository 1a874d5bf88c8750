namespace MedImaging.ServiceDefaults.Hosting;

/// <summary>
/// Work a host does in its one-shot <c>--migrate</c> step after its migrations, before any host of the node runs (e.g.
/// declaring the broker queue that must exist before the first event is published).
/// </summary>
public interface IMigrateStep
{
    Task RunAsync(CancellationToken ct);
}
