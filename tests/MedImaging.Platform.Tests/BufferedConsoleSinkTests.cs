using MedImaging.ServiceDefaults.Logging;
using Serilog;
using Serilog.Formatting.Compact;

namespace MedImaging.Platform.Tests;

// The log sink must not lose lines: not under a burst past its capacity, not at shutdown, and errors not held back.
public sealed class BufferedConsoleSinkTests
{
    private sealed class Output : StringWriter
    {
        public string[] Lines() { lock (this) return ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries); }

        public override void Write(System.Text.StringBuilder? value) { lock (this) base.Write(value); }
    }

    [Fact]
    public void InformationWaitsForTheFlushNotWrittenPerEvent()
    {
        var output = new Output();
        var sink = new BufferedConsoleSink(new RenderedCompactJsonFormatter(), output, TimeSpan.FromHours(1));
        using (var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            log.Information("first {N}", 1);
            Assert.Empty(output.Lines());
        }
        // Disposing the logger disposes the sink, which writes what is queued.
        Assert.Contains("\"first 1\"", Assert.Single(output.Lines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InformationIsWrittenByThePeriodicFlush()
    {
        var output = new Output();
        using var sink = new BufferedConsoleSink(new RenderedCompactJsonFormatter(), output);
        using var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        log.Information("first {N}", 1);
        await WaitForAsync(() => output.Lines().Length == 1);
        Assert.Contains("\"first 1\"", output.Lines()[0], StringComparison.Ordinal);
    }

    [Fact]
    public void AnErrorGoesOutAtOnceWithWhatQueuedBeforeIt()
    {
        var output = new Output();
        using var sink = new BufferedConsoleSink(new RenderedCompactJsonFormatter(), output);
        using var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        log.Information("before");
        log.Error("broken {What}", "thing");
        var lines = output.Lines();
        Assert.Equal(2, lines.Length);
        Assert.Contains("before", lines[0], StringComparison.Ordinal);
        Assert.Contains("broken", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABurstPastCapacityFromManyThreadsLosesNothingAndDisposalFlushesTheRest()
    {
        var output = new Output();
        var sink = new BufferedConsoleSink(new RenderedCompactJsonFormatter(), output);
        var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        const int perThread = BufferedConsoleSink.Capacity / 2;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++) log.Information("event {Thread} {I}", t, i);
        })));
        log.Dispose();
        sink.Dispose();
        var lines = output.Lines();
        Assert.Equal(4 * perThread, lines.Length);
        Assert.Equal(4 * perThread, lines.Distinct().Count());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the sink wrote nothing within 10 s");
            await Task.Delay(20);
        }
    }
}
