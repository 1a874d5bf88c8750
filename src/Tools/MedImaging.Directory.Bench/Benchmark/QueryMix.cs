using System.Net.Http.Headers;
using System.Text.Json;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Bench.Benchmark;

/// <summary>Who asks: no token (public entries only), or a token of a clearance, node-wide or bound to an institution.</summary>
public sealed record Caller(string Name, string? Token);

/// <summary>One query of the mix: a name for the tables, who asks, and the path and query string of <c>GET /search</c>.</summary>
public sealed record BenchQuery(string Name, Caller Caller, string Path);

/// <summary>
/// The fixed query mix of the search benchmark: 2-character Chinese keywords (肺部, 结节), a longer Chinese term,
/// English and mixed text, facet pairs, element filters (modality, classification at each of the three levels, study
/// date range, institution, node, kind), sorting by date and title, and a deep page (a cursor past 9,980 entries,
/// reached by following the API's own cursors), asked by callers of every clearance.
/// </summary>
public static class QueryMix
{
    public static IReadOnlyList<Caller> Callers(NodeTestEnvironment node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var institution = node.Node["institutions"]!.AsArray()[0]!["code"]!.GetValue<string>();
        return
        [
            new("anonymous", null),
            new("internal", TestTokens.CreateScoped(node, "bench-internal", SecurityLevels.Internal, null, Roles.Researcher)),
            new("restricted", TestTokens.CreateScoped(node, "bench-restricted", SecurityLevels.Restricted, null, Roles.Researcher)),
            new("confidential", TestTokens.CreateScoped(node, "bench-confidential", SecurityLevels.Confidential, null, Roles.Researcher)),
            new("hospital (internal, own institution)", TestTokens.CreateScoped(node, "bench-hospital", SecurityLevels.Internal, institution, Roles.Researcher)),
        ];
    }

    /// <summary>The mix; <paramref name="deepCursor"/> is the cursor after position <see cref="DeepPosition"/> of <see cref="DeepBase"/>.</summary>
    public static IReadOnlyList<BenchQuery> Build(IReadOnlyList<Caller> callers, string institution, string childNode, string? deepCursor)
    {
        ArgumentNullException.ThrowIfNull(callers);
        Caller C(string name) => callers.First(c => c.Name.StartsWith(name, StringComparison.Ordinal));
        static string E(string s) => Uri.EscapeDataString(s);
        List<BenchQuery> mix =
        [
            new("q=肺部 (2-char zh)", C("anonymous"), $"/search?q={E("肺部")}&limit=20"),
            new("q=结节 + facets modality,category", C("internal"), $"/search?q={E("结节")}&facets=modality,category&limit=20"),
            new("q=肺结节 (concepts)", C("restricted"), $"/search?q={E("肺结节")}&limit=20"),
            new("q=pulmonary nodule (en)", C("anonymous"), $"/search?q={E("pulmonary nodule")}&limit=20"),
            new("q=CT 肺结节 (mixed)", C("internal"), $"/search?q={E("CT 肺结节")}&limit=20"),
            new("q=MR 腰椎 (mixed), hospital", C("hospital"), $"/search?q={E("MR 腰椎")}&facets=year,modality&limit=20"),
            new("facets only (browse)", C("anonymous"), "/search?facets=modality,category&limit=20"),
            new("modality+亚目+date range, facets", C("confidential"), "/search?modality=CT&classification=2.2&studyDateFrom=2024-01-01&studyDateTo=2024-12-31&facets=institution,year&limit=20"),
            new("类目 + institution, sort date", C("internal"), $"/search?classification=3&institution={E(institution)}&sort=date&limit=20"),
            new("q=增强 + 细目 filter", C("restricted"), $"/search?q={E("增强")}&classification=3.1.2&limit=20"),
            new("kind=Dataset + q=数据集, facets", C("anonymous"), $"/search?kind=Dataset&q={E("数据集")}&facets=securityClassification,kind&limit=20"),
            new("q=乳腺 + date from, facets", C("internal"), $"/search?q={E("乳腺")}&studyDateFrom=2023-01-01&facets=bodyPart,securityClassification&limit=20"),
            new("q=骨折, hospital, facets", C("hospital"), $"/search?q={E("骨折")}&facets=modality,year&limit=20"),
            new("q=knee + modality=MR (en)", C("anonymous"), "/search?q=knee&modality=MR&limit=20"),
            new("node filter, sort title", C("restricted"), $"/search?node={E(childNode)}&sort=title&limit=20"),
        ];
        if (deepCursor is not null) mix.Add(new("deep page (cursor at page 500)", C("confidential"), $"{DeepBase}&limit=20&cursor={E(deepCursor)}"));
        return mix;
    }

    /// <summary>The deep page's query: every entry a confidential caller sees, newest first.</summary>
    public const string DeepBase = "/search?sort=date";

    /// <summary>Page 500 of 20 starts after this many entries.</summary>
    public const int DeepPosition = 499 * 20;

    /// <summary>Follows the API's cursors (1,000 per page, the API's largest) to the cursor after <see cref="DeepPosition"/> entries.</summary>
    public static async Task<string> DeepCursorAsync(HttpClient http, Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(caller);
        string? cursor = null;
        for (var seen = 0; seen < DeepPosition;)
        {
            var limit = Math.Min(1000, DeepPosition - seen);
            using var request = Request(caller, $"{DeepBase}&limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"deep page, after {seen} entries: {(int)response.StatusCode} {body}");
            using var json = JsonDocument.Parse(body);
            seen += json.RootElement.GetProperty("items").GetArrayLength();
            cursor = json.RootElement.GetProperty("nextCursor").GetString()
                ?? throw new InvalidOperationException($"the catalogue ended after {seen} entries: too small for a page-500 cursor");
        }
        return cursor!;
    }

    public static HttpRequestMessage Request(Caller caller, string path)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (caller.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
