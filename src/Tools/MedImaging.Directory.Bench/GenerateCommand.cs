using System.Globalization;
using System.Text.Json.Nodes;
using MedImaging.Directory.Bench.Generation;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Directory.Bench;

/// <summary>
/// <c>generate --node &lt;tier file | node id | connection string&gt; --count N [--seed S] [--start K] [--batch B] [--writers W] [--tier F] [--concepts F]</c>:
/// loads N synthetic published entries into the node's Directory read model and prints entries/s.
/// </summary>
public static class GenerateCommand
{
    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var node = o.Text("--node") ?? throw new ArgumentException("--node: a tier file, a node id of deploy/tiers, or a connection string is required");
        var count = o.Number("--count", 0);
        if (count <= 0) throw new ArgumentException("--count: how many entries to generate (a positive whole number) is required");
        // A connection string names the database; the tier file (for node id, institutions and children) is then --tier, default hebei.
        var isConnection = node.Contains('=', StringComparison.Ordinal);
        var tierFile = TierFile(isConnection ? o.Text("--tier") ?? "hebei" : node);
        var connection = isConnection ? node : ConnectionFor(tierFile, o.Text("--connection"));
        var catalog = new SyntheticCatalog(NodeTiers.Load(tierFile), ClassificationScheme.Load(), Vocabulary.Load(o.Text("--concepts")), (int)o.Number("--seed", 1));
        var start = o.Number("--start", 0);
        var database = new NpgsqlConnectionStringBuilder(connection).Database;
        Console.WriteLine($"generating entries {start:N0}…{start + count - 1:N0} (seed {o.Number("--seed", 1)}) into {database}, nodes {string.Join(", ", catalog.Nodes.Select(n => n.NodeId))}");
        Console.WriteLine($"words from: {catalog.Words.Source} ({catalog.Words.ConceptCount} concepts)");
        if (o.Has("--dry-run")) return DryRun(catalog, start, count);
        var result = await CatalogLoader.LoadAsync(connection, catalog, start, count, (int)o.Number("--batch", 5000), Console.WriteLine, ct,
            writers: (int)o.Number("--writers", DefaultWriters));
        foreach (var note in result.Notes) Console.WriteLine($"  note: {note}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {result.Rows:N0} entries in {result.Elapsed.TotalSeconds:F1} s: {result.PerSecond:N0} entries/s ({result.CpuPerEntry}; load average {BenchCommand.LoadAverage()})"));
        if (!o.Has("--no-analyze"))
        {
            var vacuum = await CatalogLoader.VacuumAnalyzeAsync(connection, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VACUUM (ANALYZE) directory.catalog_entries: {vacuum.TotalSeconds:F1} s (not in the entries/s)"));
        }
        return 0;
    }

    // A second writer only helps where PostgreSQL has cores to spare: on two cores it starved the Directory host's indexer
    // (the index caught up 340 s after a million entries, against 31–50 s with one writer).
    internal static int DefaultWriters => Environment.ProcessorCount >= 4 ? 2 : 1;

    /// <summary>Generates the rows and every column value COPY would send, without a database: what generating costs.</summary>
    private static int DryRun(SyntheticCatalog catalog, long start, long count)
    {
        var copy = CatalogCopy.WithoutDatabase();
        var cpu = ProcessCpu.Own();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long values = 0;
        for (var from = start; from < start + count; from += 5000)
        {
            var n = (int)Math.Min(5000, start + count - from);
            var rows = new Domain.CatalogEntry[n];
            var first = from;
            Parallel.For(0, n, i => rows[i] = CatalogRows.From(catalog.Entry(first + i)));
            values += copy.Evaluate(rows);
        }
        var spent = ProcessCpu.Own() - cpu;
        foreach (var e in new[] { start, start + 1, start + 2 }.Select(catalog.Entry))
            Console.WriteLine($"  e.g. [{e.Kind}, {e.SecurityClassification}, {e.ClassificationCode}, {string.Join('/', e.Modalities)}] {e.Title} | {string.Join(';', e.Keywords)} | {e.Abstract}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dry run: {count:N0} entries ({values:N0} values) in {clock.Elapsed.TotalSeconds:F1} s: {count / clock.Elapsed.TotalSeconds:N0} entries/s, {spent.TotalMilliseconds * 1000 / count:F0} µs CPU/entry"));
        return 0;
    }

    /// <summary>A tier file path, or a node id looked up in deploy/tiers.</summary>
    public static string TierFile(string nodeOrPath)
    {
        if (File.Exists(nodeOrPath)) return Path.GetFullPath(nodeOrPath);
        var named = Path.Combine(RepositoryRoot.Path, "deploy", "tiers", nodeOrPath + ".json");
        return File.Exists(named) ? named : throw new ArgumentException($"--node: '{nodeOrPath}' is neither a tier file nor a node of deploy/tiers");
    }

    /// <summary>The server of --connection or ConnectionStrings__Postgres (.local/env), the database the tier file names.</summary>
    private static string ConnectionFor(string tierFile, string? connection)
    {
        var server = connection ?? Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? throw new ArgumentException("no PostgreSQL: give --connection, or run deploy/local/servers.sh up (it writes .local/env)");
        var builder = new NpgsqlConnectionStringBuilder(server);
        if (connection is null || string.IsNullOrEmpty(builder.Database))
            builder.Database = JsonNode.Parse(File.ReadAllText(tierFile))!["database"]!.GetValue<string>();
        return builder.ConnectionString;
    }
}
