using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MedImaging.Directory.Apis;
using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Directory.Federation;

/// <summary>
/// Distributed mode (§4.10, issue 13 item 4): this node answers from its own entries and asks each child's Directory
/// the same query at once, through the child's gateway as this node's peer client, each with its own deadline. The
/// merged answer names every node and how it answered; it is partial when any did not, and a child's error or silence
/// is never read as "no records". A query id and a hop count travel with the query, so it never loops or runs deeper
/// than the tiers below.
/// </summary>
public sealed class FanOutSearch(ICatalogSearch search, PeerTokens tokens, IHttpClientFactory clients, ServiceHostContext host,
    ILogger<FanOutSearch> log)
{
    public const string QueryIdHeader = "X-Medcat-Query-Id";
    public const string HopsHeader = "X-Medcat-Hops";
    public const string ClearanceHeader = "X-Medcat-On-Behalf-Clearance";
    public const string InstitutionHeader = "X-Medcat-On-Behalf-Institution";
    public const string DeadlineHeader = "X-Medcat-Deadline-Ms";

    public const string Answered = "answered";
    public const string TimedOut = "timed-out";
    public const string Failed = "failed";

    public sealed record NodeAnswer(string Node, string Status, long? Total, double ElapsedMs, string? Error);

    public sealed record Answer(long Total, IReadOnlyList<SearchApi.Hit> Items, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets,
        string? NextCursor, IReadOnlyList<MatchedConcept> Concepts, string Mode, bool Partial, string QueryId, IReadOnlyList<NodeAnswer> Nodes);

    /// <param name="queryString">The caller's query string, passed on to the children as it came (less mode, cursor and hops).</param>
    /// <param name="local">This node's part: its own entries, and for a parent's query only what its up rules share.</param>
    /// <param name="deadline">How long each child may take (at a child: less than its parent gives it).</param>
    public async Task<Answer> SearchAsync(CatalogQuery query, CatalogPage page, CallerScope caller, QueryString queryString, string queryId, int hops,
        Func<CatalogQuery, CatalogQuery> local, TimeSpan deadline, CancellationToken ct)
    {
        var node = host.RequiredNode;
        var started = Stopwatch.GetTimestamp();
        var children = hops > 0 ? node.Children : [];
        var asks = children.Select(c => AskAsync(c, queryString, caller, queryId, hops - 1, deadline, ct)).ToList();
        var own = await search.SearchAsync(local(query with { Nodes = [node.NodeId] }), caller, page with { After = null }, ct);
        var answers = new List<NodeAnswer> { new(node.NodeId, Answered, own.Total, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null) };
        var parts = new List<(long Total, IReadOnlyList<SearchApi.Hit> Items, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets)>
        {
            (own.Total, [.. own.Items.Select(SearchApi.ToHit)], own.Facets),
        };
        foreach (var (answer, report) in await Task.WhenAll(asks))
        {
            answers.AddRange(report);
            if (answer is not null) parts.Add((answer.Total, answer.Items, answer.Facets));
        }
        var items = Order(parts.SelectMany(p => p.Items), query).Take(page.Limit).ToList();
        var facets = parts.SelectMany(p => p.Facets).GroupBy(f => f.Key, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => (IReadOnlyList<FacetValue>)[.. g.SelectMany(x => x.Value).GroupBy(v => v.Value, StringComparer.Ordinal)
                .Select(v => new FacetValue(v.Key, v.Sum(x => x.Count))).OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal)],
            StringComparer.Ordinal);
        return new Answer(parts.Sum(p => p.Total), items, facets, null, own.Concepts, "distributed",
            answers.Any(a => a.Status != Answered), queryId, answers);
    }

    // One child: its answer and its report of itself and the nodes below it; never throws.
    private async Task<(Answer? Answer, IReadOnlyList<NodeAnswer> Report)> AskAsync(string child, QueryString queryString, CallerScope caller,
        string queryId, int hops, TimeSpan deadline, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(deadline);
        try
        {
            var peer = tokens.Peer(child);
            var token = await tokens.GetAsync(child, timeout.Token);
            using var http = clients.CreateClient(PeerTokens.HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peer.Gateway!, "api/directory/search" + queryString.Add("mode", "distributed")));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add(QueryIdHeader, queryId);
            request.Headers.Add(HopsHeader, hops.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(ClearanceHeader, caller.Clearance);
            // The child gets four fifths of our wait for its own children, so its answer (partial or not) arrives in time.
            request.Headers.Add(DeadlineHeader, ((int)(deadline.TotalMilliseconds * 0.8)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (caller.Institution is { } institution) request.Headers.Add(InstitutionHeader, institution);
            using var response = await http.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
                return (null, [new NodeAnswer(child, Failed, null, Elapsed(started), $"HTTP {(int)response.StatusCode} {await Short(response, timeout.Token)}")]);
            var answer = await response.Content.ReadFromJsonAsync<Answer>(timeout.Token)
                ?? throw new HttpRequestException("the child answered no body");
            return (answer, answer.Nodes);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            log.LogWarning("Fan-out {QueryId}: {Child} did not answer within {Deadline}", queryId, child, deadline);
            return (null, [new NodeAnswer(child, TimedOut, null, Elapsed(started), $"no answer within {deadline.TotalMilliseconds:0} ms")]);
        }
        catch (Exception ex) when (ex is HttpRequestException or PeerUnavailableException or System.Text.Json.JsonException or IOException or NotSupportedException)
        {
            log.LogWarning("Fan-out {QueryId}: {Child} failed: {Error}", queryId, child, ex.Message);
            return (null, [new NodeAnswer(child, Failed, null, Elapsed(started), ex.Message)]);
        }
    }

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);

    private static async Task<string> Short(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length <= 300 ? text : text[..300] + "…";
    }

    // The same order each node used: relevance, date or title, then the entry key, so the merge is stable.
    private static IEnumerable<SearchApi.Hit> Order(IEnumerable<SearchApi.Hit> hits, CatalogQuery q)
    {
        var ordered = q.Sort switch
        {
            CatalogSort.Date => q.Descending ? hits.OrderByDescending(h => h.StudyDate).ThenByDescending(h => h.PublishedAt) : hits.OrderBy(h => h.StudyDate).ThenBy(h => h.PublishedAt),
            CatalogSort.Title => q.Descending ? hits.OrderByDescending(h => h.Title, StringComparer.Ordinal) : hits.OrderBy(h => h.Title, StringComparer.Ordinal),
            _ => hits.OrderByDescending(h => h.Score).ThenByDescending(h => h.PublishedAt),
        };
        return ordered.ThenBy(h => h.OriginNode, StringComparer.Ordinal).ThenBy(h => h.ResourceId);
    }
}
