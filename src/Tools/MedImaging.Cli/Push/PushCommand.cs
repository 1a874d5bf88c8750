using System.Collections.Concurrent;
using System.Globalization;

namespace MedImaging.Cli.Push;

/// <summary>
/// <c>medcat push</c>: scan, skip what the journal says the node acknowledged, send the rest in batches with
/// <see cref="PushOptions.Concurrency"/> requests in flight, journal each acknowledged file as its batch is answered,
/// and end with a table of what failed. <paramref name="output"/> gets notes and the summary, <paramref name="progress"/>
/// the progress line.
/// </summary>
public sealed class PushCommand(PushOptions options, TextWriter output, TextWriter progress, bool interactive)
{
    public async Task<int> RunAsync(CancellationToken stop, CancellationToken abort)
    {
        var journalPath = Path.GetFullPath(options.Journal ?? PushJournal.DefaultPath(options.Source));
        var scan = SourceScanner.Scan(options.Source, journalPath);
        foreach (var skipped in scan.NotDicom)
            output.WriteLine($"跳过非 DICOM 文件 skipped, not DICOM Part-10 (no preamble + \"DICM\"): {skipped}");

        PushJournal journal;
        try
        {
            journal = PushJournal.Open(journalPath, options.Node);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"无法打开断点记录 cannot open the journal {journalPath}: {ex.Message}");
            return ExitCodes.Fatal;
        }
        using var _ = journal;
        var pending = scan.Dicom.Where(f => !journal.IsDone(f)).ToList();
        var already = scan.Dicom.Count - pending.Count;
        output.WriteLine($"共 {scan.Dicom.Count} 个 DICOM 文件，其中 {already} 个此前已确认（跳过），待推送 {pending.Count} 个 → {options.Node}dicomweb/studies");
        output.WriteLine($"{scan.Dicom.Count} DICOM files, {already} acknowledged before (skipped), {pending.Count} to push; journal {journalPath}");
        if (pending.Count == 0) return ExitCodes.Ok;

        var batches = Batches.Split(pending, options.Batch, options.BatchBytes);
        var failures = new ConcurrentBag<StoreOutcome>();
        var next = -1;
        var fatal = (string?)null;
        using var client = new StowClient(options);
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(stop);
        await using var bar = new ProgressLine(progress, interactive, pending.Count, pending.Sum(f => f.Size));
        try
        {
            await client.TokenAsync(false, abort);
        }
        catch (StowClient.FatalException ex)
        {
            output.WriteLine(ex.Message);
            return ExitCodes.Fatal;
        }
        bar.Start();

        async Task WorkerAsync()
        {
            while (!halt.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= batches.Length || index >= (options.MaxBatches ?? int.MaxValue)) return;
                var batch = batches[index];
                IReadOnlyList<StoreOutcome> outcomes;
                try
                {
                    outcomes = await client.StoreAsync(batch, abort);
                }
                catch (StowClient.FatalException ex)
                {
                    fatal ??= ex.Message;
                    await halt.CancelAsync();
                    return;
                }
                // Journal first: once the node acknowledged a file, a crash after this line must not re-send it.
                journal.Record(outcomes.Where(o => o.Succeeded).Select(o => (o.File, o.SopInstanceUid)));
                foreach (var f in outcomes.Where(o => !o.Succeeded)) failures.Add(f);
                bar.Add(batch.Length, outcomes.Count(o => !o.Succeeded), batch.Sum(f => f.Size));
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(options.Concurrency, batches.Length)).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            output.WriteLine("已中止：进行中的批次未确认，下次运行将重新发送 aborted: batches in flight were not acknowledged and will be sent again.");
        }
        await bar.DisposeAsync();

        var sent = bar.Files;
        var interrupted = sent < pending.Count;
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"完成 done: 发送 sent {sent}, 成功 stored {sent - failures.Count}, 失败 failed {failures.Count}, 未发送 not sent {pending.Count - sent}, 用时 {bar.Elapsed.TotalSeconds:F1} s"));
        if (!failures.IsEmpty) WriteFailures(output, [.. failures.OrderBy(f => f.File.RelativePath, StringComparer.Ordinal)]);
        if (fatal is not null)
        {
            output.WriteLine(fatal);
            return ExitCodes.Fatal;
        }
        var tooLarge = failures.Count(f => f.HttpStatus == StoreOutcome.PayloadTooLarge);
        if (tooLarge > 0)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"节点拒绝了过大的请求 (HTTP 413)：{tooLarge} 个文件未存储，请减小 --batch-bytes（当前 {options.BatchBytes} 字节）后重新运行。 " +
                $"The node refused {tooLarge} files as too large (HTTP 413): its request size limit is below --batch-bytes ({options.BatchBytes} bytes) or a file alone exceeds it; lower --batch-bytes and run again."));
        if (interrupted)
            output.WriteLine("已中断：已确认的文件已记入断点记录，重新运行同一命令即可继续 interrupted: acknowledged files are journaled; run the same command again to resume.");
        if (tooLarge > 0) return ExitCodes.TooLarge;
        return !failures.IsEmpty ? ExitCodes.Failures : interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;
    }

    private static void WriteFailures(TextWriter output, IReadOnlyList<StoreOutcome> failures)
    {
        output.WriteLine();
        output.WriteLine($"失败的实例 Failed instances ({failures.Count}):");
        string[] header = ["文件 File", "SOP Instance UID", "原因 Reason"];
        var rows = failures.Select(f => new[] { f.File.RelativePath, f.SopInstanceUid ?? "-", f.ReasonText }).ToList();
        var w0 = Math.Max(DisplayWidth(header[0]), rows.Max(r => DisplayWidth(r[0])));
        var w1 = Math.Max(DisplayWidth(header[1]), rows.Max(r => DisplayWidth(r[1])));
        output.WriteLine($"  {Pad(header[0], w0)}  {Pad(header[1], w1)}  {header[2]}");
        output.WriteLine($"  {new string('-', w0)}  {new string('-', w1)}  {new string('-', 12)}");
        foreach (var r in rows) output.WriteLine($"  {Pad(r[0], w0)}  {Pad(r[1], w1)}  {r[2]}");
    }

    // CJK characters take two terminal columns.
    private static int DisplayWidth(string s) => s.Sum(c => c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFF60)) ? 2 : 1);

    private static string Pad(string s, int width) => s + new string(' ', Math.Max(0, width - DisplayWidth(s)));
}
