using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Platform.Tests;

/// <summary>
/// Input an endpoint cannot bind is the caller's mistake and answers 400, never 500. Every operation of every host's
/// OpenAPI document is probed, with a token that passes every policy: each query or path parameter of a non-text type
/// gets a value of the wrong type, each JSON body is sent malformed and nested 10,000 deep, each body is sent with a
/// media type it does not take. A 400 must be a problem that names the parameter, or the JSON path and position.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string WrongType = "abc";
    private const string Malformed = "{\"reason\": \"x\",\n  \"values\": ";
    private static readonly string TooDeep = new string('[', 10_000) + new string(']', 10_000);
    private static readonly string[] GatewayFormEndpoints = ["/connect/token", "/connect/authorize", "/account/login", "/account/logout"];

    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("zhengding");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string> Hosts => [.. OpenApiWalker.Hosts];

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task NoEndpointAnswers500ToInputItCannotBind(string service)
    {
        await using var host = OpenApiWalker.Create(service, _node);
        using var client = host.CreateClient().WithToken(TestTokens.Create(_node, "prober", [.. Roles.All]));
        var (document, operations) = await OpenApiWalker.ReadAsync(client);
        Assert.NotEmpty(operations);

        var failures = new List<string>();
        var probes = 0;
        foreach (var op in operations)
        {
            foreach (var parameter in op.Parameters.Where(p => OpenApiWalker.In(p) is "query" or "path" && OpenApiWalker.IsTyped(document, p)))
            {
                var name = OpenApiWalker.Name(parameter);
                var url = OpenApiWalker.Url(document, op, new Dictionary<string, string> { [name] = WrongType });
                using var response = await client.SendAsync(Request(op, url, op.JsonBody ? "{}" : null, "application/json"));
                probes++;
                var body = await response.Content.ReadAsStringAsync();
                // A route constraint ({id:guid}, {version:int}) makes a wrong-typed path a route that does not exist.
                if (OpenApiWalker.In(parameter) == "path" && response.StatusCode == HttpStatusCode.NotFound) continue;
                if (NamesParameter(response, body, name) is { } problem) failures.Add($"{op} {name}={WrongType}: {problem}");
            }
            if (op.JsonBody)
            {
                foreach (var (what, json) in new[] { ("malformed JSON", Malformed), ("JSON nested 10,000 deep", TooDeep) })
                {
                    using var response = await client.SendAsync(Request(op, OpenApiWalker.Url(document, op), json, "application/json"));
                    probes++;
                    if (NamesJsonPosition(response, await response.Content.ReadAsStringAsync()) is { } problem) failures.Add($"{op} with {what}: {problem}");
                }
            }
            if (op.Method is "post" or "put" or "patch")
            {
                using var response = await client.SendAsync(Request(op, OpenApiWalker.Url(document, op), "\u0001not what it takes", "application/x-unknown"));
                probes++;
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{op} with an unknown media type: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        if (service == "gateway")
        {
            // The token server and sign-in page are left out of the gateway's document; they take forms.
            foreach (var path in GatewayFormEndpoints)
            {
                foreach (var (body, mediaType) in new[] { (Malformed, "application/json"), (TooDeep, "application/json"), ("a=%zz&&=%&grant_type", "application/x-www-form-urlencoded"), ("\u0001", "application/x-unknown") })
                {
                    using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, mediaType));
                    probes++;
                    if ((int)response.StatusCode >= 500) failures.Add($"POST {path} with {mediaType}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{service}: {failures.Count} of {probes} probes failed:\n{string.Join("\n", failures)}");
    }

    private static HttpRequestMessage Request(ApiOperation op, string url, string? body, string mediaType) => new(new HttpMethod(op.Method.ToUpperInvariant()), url)
    {
        Content = body is null ? null : new StringContent(body, Encoding.UTF8, mediaType),
    };

    /// <summary>Null when the answer is a 400 problem naming the parameter; otherwise what is wrong with it.</summary>
    private static string? NamesParameter(HttpResponseMessage response, string body, string name)
    {
        if (Problem(response, body) is not { } problem) return $"{(int)response.StatusCode} {Truncate(body)}";
        var errors = problem["errors"]?.AsObject();
        var named = (errors?.Any(e => e.Key.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? false)
                    || string.Equals(problem["parameter"]?.ToString(), name, StringComparison.OrdinalIgnoreCase);
        return named ? null : $"the problem does not name '{name}': {Truncate(body)}";
    }

    /// <summary>Null when the answer is a 400 problem naming a JSON path ($…) and a position in the body.</summary>
    private static string? NamesJsonPosition(HttpResponseMessage response, string body)
    {
        if (Problem(response, body) is not { } problem) return $"{(int)response.StatusCode} {Truncate(body)}";
        var text = problem.ToJsonString();
        var path = problem["path"] is not null || (problem["errors"]?.AsObject().Any(e => e.Key.StartsWith('$')) ?? false)
                   || text.Contains("Path: $", StringComparison.Ordinal);
        var position = problem["bytePositionInLine"] is not null || text.Contains("BytePositionInLine", StringComparison.Ordinal);
        return path && position ? null : $"the problem names no JSON path and position: {Truncate(body)}";
    }

    private static JsonObject? Problem(HttpResponseMessage response, string body)
    {
        if (response.StatusCode != HttpStatusCode.BadRequest) return null;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return null;
        return JsonNode.Parse(body) is JsonObject o && o["status"]?.GetValue<int>() == 400 && o["title"] is not null ? o : null;
    }

    private static string Truncate(string s) => s.Length <= 400 ? s : s[..400] + "…";
}
