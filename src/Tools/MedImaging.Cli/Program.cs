using System.Text;
using MedImaging.Cli;
using MedImaging.Cli.Audit;
using MedImaging.Cli.Poll;
using MedImaging.Cli.Rebuild;
using MedImaging.Cli.Push;
using MedImaging.Cli.Watch;

// medcat: the command line of hospital adapters (推送工具), regulators (审计校验) and administrators (目录重建). Messages are Chinese
// first, English after.
Console.OutputEncoding = Encoding.UTF8;
if (args.Length > 0 && args[0] == "audit")
    return await AuditVerifyCommand.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
if (args.Length > 0 && args[0] == "directory")
    return await DirectoryRebuildCommand.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
if (args.Length > 0 && args[0] == "poll" && !args.Any(PushOptions.IsHelp))
{
    var (poll, pollError) = PollOptions.Parse(args[1..]);
    if (poll is null)
    {
        await Console.Error.WriteLineAsync($"{pollError}\n\n{PollOptions.Usage}");
        return ExitCodes.Usage;
    }
    using var stopPolling = new StopSignals();
    using var poller = new PollCommand(poll, Console.Out);
    return await poller.RunAsync(stopPolling.Token);
}
if (args.Length > 0 && args[0] == "watch" && !args.Any(PushOptions.IsHelp))
{
    var (watch, watchError) = WatchOptions.Parse(args[1..]);
    if (watch is null)
    {
        await Console.Error.WriteLineAsync($"{watchError}\n\n{WatchOptions.Usage}");
        return ExitCodes.Usage;
    }
    using var stopWatching = new StopSignals();
    return await new FolderDropCommand(watch, Console.Out).RunAsync(stopWatching.Token);
}
// -h/--help anywhere (also after "push" and its options) prints the usage and succeeds.
if (args.Length == 0 || args[0] is "help" || args.Any(PushOptions.IsHelp))
{
    Console.Out.Write(PushOptions.Usage + WatchOptions.Usage + PollOptions.Usage + AuditVerifyOptions.Usage + DirectoryRebuildOptions.Usage);
    return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
}
if (args[0] != "push")
{
    await Console.Error.WriteLineAsync($"未知命令 unknown command '{args[0]}'.\n{PushOptions.Usage}{WatchOptions.Usage}{PollOptions.Usage}{AuditVerifyOptions.Usage}{DirectoryRebuildOptions.Usage}");
    return ExitCodes.Usage;
}

var (options, error) = PushOptions.Parse(args[1..]);
if (options is null)
{
    await Console.Error.WriteLineAsync($"{error}\n\n{PushOptions.Usage}");
    return ExitCodes.Usage;
}

// First Ctrl-C: finish the batches in flight, write the journal, stop. Second: abort the requests too.
using var stop = new CancellationTokenSource();
using var abort = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    if (!stop.IsCancellationRequested)
    {
        Console.Error.WriteLine("\n正在停止：等待当前批次完成并保存断点记录…（再按一次 Ctrl-C 立即中止） Stopping after the current batch (Ctrl-C again aborts).");
        stop.Cancel();
    }
    else abort.Cancel();
};

var command = new PushCommand(options, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected);
return await command.RunAsync(stop.Token, abort.Token);
