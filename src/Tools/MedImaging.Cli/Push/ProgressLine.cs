using System.Diagnostics;
using System.Globalization;

namespace MedImaging.Cli.Push;

/// <summary>
/// The progress bar: files, MB, instances/s and failures. On a terminal one line redrawn in place (4 times a second);
/// redirected, one line per finished batch, so a log file reads as a history.
/// </summary>
public sealed class ProgressLine(TextWriter writer, bool interactive, int totalFiles, long totalBytes) : IAsyncDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private Task? _ticker;
    private int _files, _failed;
    private long _bytes;
    private bool _disposed;

    public int Files => _files;
    public int Failed => _failed;
    public TimeSpan Elapsed => _clock.Elapsed;

    public void Start()
    {
        if (interactive) _ticker = TickAsync();
    }

    public void Add(int files, int failed, long bytes)
    {
        Interlocked.Add(ref _files, files);
        Interlocked.Add(ref _failed, failed);
        Interlocked.Add(ref _bytes, bytes);
        if (!interactive) lock (writer) writer.WriteLine(Render());
    }

    public string Render()
    {
        var files = Volatile.Read(ref _files);
        var fraction = totalFiles == 0 ? 1 : (double)files / totalFiles;
        const int width = 24;
        var filled = (int)Math.Round(fraction * width);
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('█', filled)}{new string('░', width - filled)}] {fraction,4:P0}  文件 files {files}/{totalFiles}  " +
            $"{Interlocked.Read(ref _bytes) / 1048576.0:F1}/{totalBytes / 1048576.0:F1} MB  {files / seconds:F1} 实例/秒 inst/s  失败 failed {Volatile.Read(ref _failed)}");
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) lock (writer) writer.Write("\r" + Render() + "\u001b[K");
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _stop.CancelAsync();
        if (_ticker is not null)
        {
            await _ticker;
            lock (writer) writer.WriteLine("\r" + Render() + "\u001b[K");
        }
        _stop.Dispose();
    }
}
