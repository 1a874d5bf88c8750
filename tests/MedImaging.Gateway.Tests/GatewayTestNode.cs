using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.Gateway.Identity;
using MedImaging.TestSupport;

namespace MedImaging.Gateway.Tests;

/// <summary>A gateway on its own test node (database, vhost, tier file, key), plus helpers to get tokens from it.</summary>
public sealed class GatewayTestNode : IAsyncDisposable
{
    private GatewayTestNode(NodeTestEnvironment node, ServiceFactory<GatewayMarker> gateway)
    {
        Node = node;
        Gateway = gateway;
    }

    public NodeTestEnvironment Node { get; }
    public ServiceFactory<GatewayMarker> Gateway { get; }
    public IServiceProvider Services => Gateway.Services;

    /// <summary>The node's gateway URL as its tier file says: the token issuer.</summary>
    public Uri GatewayUrl => new(Node.Node["endpoints"]!["gateway"]!.GetValue<string>());

    public static async Task<GatewayTestNode> StartAsync(
        Action<System.Text.Json.Nodes.JsonObject>? editNode = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var node = await NodeTestEnvironment.CreateAsync(editNode: editNode);
        var gateway = new ServiceFactory<GatewayMarker>(node, settings);
        gateway.CreateClient().Dispose(); // start: migrations run before the first request
        await GatewaySeeder.EnsurePortalClientAsync(gateway.Services, DevCredentials.PortalRedirectUris(new Uri(node.Node["endpoints"]!["gateway"]!.GetValue<string>())));
        return new GatewayTestNode(node, gateway);
    }

    public HttpClient CreateClient() => Gateway.CreateClient();

    public async Task<HttpResponseMessage> RequestTokenAsync(params (string Key, string Value)[] form)
    {
        using var client = CreateClient();
        return await client.PostAsync("/connect/token", new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value))));
    }

    public Task<HttpResponseMessage> PasswordGrantAsync(string userName, string password) =>
        RequestTokenAsync(("grant_type", "password"), ("client_id", GatewaySeeder.PortalClientId), ("username", userName), ("password", password));

    public Task<HttpResponseMessage> ClientCredentialsAsync(string clientId, string secret) =>
        RequestTokenAsync(("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret));

    /// <summary>The access token of a successful token response (fails the test with the body otherwise).</summary>
    public static async Task<string> AccessTokenAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Node.DisposeAsync();
    }
}
