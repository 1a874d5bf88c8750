using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MedImaging.Federation.Bench;

/// <summary>
/// One node of a federation started by deploy/local/up.sh --federation, as its users reach it: its gateway (from its
/// tier file) and the dev users' passwords (from .local/dev-credentials-&lt;node&gt;.txt), tokens by the password grant.
/// </summary>
public sealed class DemoNode : IDisposable
{
    private readonly JsonObject _credentials;
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    private DemoNode(string id, Uri gateway, string institution, JsonObject credentials)
    {
        Id = id;
        Gateway = gateway;
        Institution = institution;
        _credentials = credentials;
    }

    public string Id { get; }
    public Uri Gateway { get; }
    public string Institution { get; }

    public static DemoNode Load(string repo, string id)
    {
        var tier = JsonNode.Parse(File.ReadAllText(Path.Combine(repo, "deploy", "tiers", id + ".json")))!.AsObject();
        var credentialsFile = Path.Combine(repo, ".local", $"dev-credentials-{id}.txt");
        if (!File.Exists(credentialsFile)) throw new InvalidOperationException($"{credentialsFile} is missing: start the node with deploy/local/up.sh {id} (or --federation) first.");
        return new DemoNode(id, new Uri(tier["endpoints"]!["gateway"]!.GetValue<string>()), tier["institutions"]![0]!["code"]!.GetValue<string>(),
            JsonNode.Parse(File.ReadAllText(credentialsFile))!.AsObject());
    }

    /// <summary>A client of the node's gateway signed in as dev-&lt;role&gt;.</summary>
    public async Task<HttpClient> AsAsync(string role)
    {
        if (_clients.TryGetValue(role, out var known)) return known;
        var user = _credentials["users"]!.AsArray().First(u => u!["userName"]!.GetValue<string>() == $"dev-{role}")!;
        var client = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "portal", ["scope"] = "openid",
            ["username"] = user["userName"]!.GetValue<string>(), ["password"] = user["password"]!.GetValue<string>(),
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (!response.IsSuccessStatusCode || body?["access_token"] is null) throw new InvalidOperationException($"{Id}: dev-{role} cannot sign in: {body?.ToJsonString()}");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body["access_token"]!.GetValue<string>());
        _clients[role] = client;
        return client;
    }

    /// <summary>Catalogues a dataset by hand and takes it through register and approve; its id. Publishing is the caller's step.</summary>
    public async Task<Guid> PrepareAsync(string title, string category, string security)
    {
        var cataloguer = await AsAsync(Who("cataloguer", security));
        var values = new Dictionary<string, string>
        {
            ["resourceTitle"] = title, ["categoryCode"] = category, ["keyword"] = "联邦演示;federation demo",
            ["abstract"] = $"{title}：县级节点编目的演示数据集，用于检验省市县三级目录的共享规则。", ["dataFormat"] = "DICOM",
            ["securityClassification"] = security,
        };
        using var created = await cataloguer.PostAsJsonAsync("/api/registration/resources", new { kind = "dataset", values, institution = Institution });
        var body = await created.Content.ReadAsStringAsync();
        if (!created.IsSuccessStatusCode) throw new InvalidOperationException($"{Id}: creating '{title}' failed: {(int)created.StatusCode} {body}");
        var id = Guid.Parse(JsonNode.Parse(body)!["id"]!.GetValue<string>());
        await StepAsync(id, "register", Who("cataloguer", security));
        await StepAsync(id, "approve", Who("reviewer", security));
        return id;
    }

    /// <summary>
    /// The dev user who may do a step on an entry of this classification: the role's own user where its clearance reaches
    /// (cataloguer internal, reviewer and publisher restricted), else dev-admin (confidential). Above one's clearance an
    /// entry is invisible, so its steps answer 404.
    /// </summary>
    public static string Who(string role, string security) => (role, security) switch
    {
        (_, "confidential") => "admin",
        ("cataloguer", "restricted") => "admin",
        _ => role,
    };

    public async Task StepAsync(Guid id, string verb, string role)
    {
        using var response = await (await AsAsync(role)).PostAsJsonAsync($"/api/registration/resources/{id}/{verb}", new { reason = "演示" });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{Id}: {verb} {id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values) c.Dispose();
    }
}
