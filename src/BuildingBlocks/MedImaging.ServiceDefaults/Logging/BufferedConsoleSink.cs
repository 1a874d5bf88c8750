using System.Collections.Concurrent;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace MedImaging.ServiceDefaults.Logging;

/// <summary>
/// JSON lines to stdout, written by a background loop every <see cref="DefaultFlushInterval"/> in one write per tick.
/// Serilog.Sinks.Async woke its worker thread for every event, and on a 2-core machine at one request log line per
/// ingest request that wake-up (and the worker's spin before it slept again) cost about a tenth of the service's CPU;
/// here nothing is signalled per event. Nothing is dropped: past <see cref="Capacity"/> queued events the logging
/// thread writes the backlog itself (back-pressure instead of loss), and disposal writes what is left.
/// </summary>
public sealed class BufferedConsoleSink : ILogEventSink, IDisposable
{
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(200);
    public const int Capacity = 20_000;

    private readonly ITextFormatter _formatter;
    private readonly TextWriter _output;
    private readonly ConcurrentQueue<LogEvent> _queue = new();
    private readonly Lock _writeLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _count;
    private int _disposed;

    private readonly TimeSpan _interval;

    public BufferedConsoleSink(ITextFormatter formatter, TextWriter? output = null, TimeSpan? flushInterval = null)
    {
        _formatter = formatter;
        _output = output ?? Console.Out;
        _interval = flushInterval ?? DefaultFlushInterval;
        _loop = Task.Run(LoopAsync);
    }

    public void Emit(LogEvent logEvent)
    {
        _queue.Enqueue(logEvent);
        // Errors are what an operator tails the log for: they go out now, with whatever queued before them.
        if (Interlocked.Increment(ref _count) > Capacity || logEvent.Level >= LogEventLevel.Error) Drain();
    }

    // The logger disposes its sinks; whoever built the sink may too.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; what is still queued is written below.
        }
        Drain();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) Drain();
        }
        catch (OperationCanceledException)
        {
            // Disposal: the last drain is Dispose's.
        }
    }

    private void Drain()
    {
        lock (_writeLock)
        {
            if (_queue.IsEmpty) return;
            var text = new StringWriter(new StringBuilder(4096));
            while (_queue.TryDequeue(out var e))
            {
                Interlocked.Decrement(ref _count);
                _formatter.Format(e, text);
            }
            try
            {
                _output.Write(text.GetStringBuilder());
                _output.Flush();
            }
            catch (IOException)
            {
                // A closed stdout (the parent went away) must not take the service down with it.
            }
        }
    }
}
