using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MedImaging.Federation.Bench;

// medcat-federation load  [--counties zhengding,zanhuang] [--per-county 12]
// medcat-federation bench [--county zhengding] [--province hebei] [--count 100] [--queries 200]
// Runs against a federation started by deploy/local/up.sh --federation, through the gateways, as the dev users.
var command = args.FirstOrDefault() ?? "";
string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
var repo = Option("--repo", FindRepo());

switch (command)
{
    case "load":
        foreach (var county in Option("--counties", "zhengding,zanhuang").Split(','))
        {
            using var node = DemoNode.Load(repo, county);
            var count = int.Parse(Option("--per-county", "12"), CultureInfo.InvariantCulture);
            for (var i = 0; i < count; i++)
            {
                var (category, what) = Samples.Categories[i % Samples.Categories.Length];
                var security = Samples.Levels[i / Samples.Categories.Length % Samples.Levels.Length];
                var title = $"{Samples.CountyName(county)} {what} 样例 {i + 1:D2}";
                var id = await node.PrepareAsync(title, category, security);
                await node.StepAsync(id, "publish", DemoNode.Who("publisher", security));
                Console.WriteLine($"{county}: published {title} ({category}, {security})");
            }
        }
        Console.WriteLine("Published. The rules of deploy/tiers/*.json decide what reaches the city and the province: pathology (7.x) stays at the county, confidential everywhere.");
        return 0;

    case "bench":
        return await Bench.RunAsync(repo, Option("--county", "zhengding"), Option("--province", "hebei"),
            int.Parse(Option("--count", "100"), CultureInfo.InvariantCulture), int.Parse(Option("--queries", "200"), CultureInfo.InvariantCulture));

    default:
        Console.Error.WriteLine("usage: medcat-federation load [--counties a,b] [--per-county N] | bench [--county C] [--province P] [--count N] [--queries Q]");
        return 2;
}

static string FindRepo()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "MedImagingCatalog.sln"))) return d.FullName;
    return Directory.GetCurrentDirectory();
}
