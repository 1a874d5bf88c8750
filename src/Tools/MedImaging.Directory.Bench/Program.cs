using MedImaging.Directory.Bench;
using MedImaging.Ingest.Bench;
using MedImaging.TestSupport;

// The directory's data generator and search benchmark (issue 12, item 9 and the search acceptance line): see the
// README's "Directory search" performance section.
//   generate --node <tier file | node id | connection> --count N [--seed S] [--start K] [--batch B]
//   bench [--sizes 10000,100000,1000000] [--clients 1,8] [--queries N | --duration S] [--seed S]
LocalEnvironment.Load(Path.Combine(RepositoryRoot.Path, ".local", "env"));
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("interrupted: stopping …");
    cts.Cancel();
};
var options = new Options(args.Skip(1).ToArray());
try
{
    return args.FirstOrDefault() switch
    {
        "generate" => await GenerateCommand.RunAsync(options, cts.Token),
        "bench" => await BenchCommand.RunAsync(options, args, cts.Token),
        _ => Usage(),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    return 130;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: MedImaging.Directory.Bench generate --node <tier file | node id | connection string> --count N [--seed S] [--start K] [--batch B] [--tier F] [--concepts F] [--no-analyze]
               MedImaging.Directory.Bench bench [--sizes 10000,100000,1000000] [--clients 1,8] [--queries N | --duration SECONDS] [--seed S] [--no-results]
        """);
    return 2;
}
