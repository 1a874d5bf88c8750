using System.Runtime.InteropServices;

namespace MedImaging.Cli;

/// <summary>
/// The stop of a long-running adapter (<c>watch</c>, <c>poll</c>): Ctrl-C, or SIGTERM from a service manager, cancels
/// <see cref="Token"/>, so the command finishes the round in flight and returns instead of dying in the middle of it.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _terminate;

    public StopSignals()
    {
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            _stop.Cancel();
        };
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            _stop.Cancel();
        });
    }

    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _terminate.Dispose();
        _stop.Dispose();
    }
}
