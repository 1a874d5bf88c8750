using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Node;
using MedImaging.TestSupport;

namespace MedImaging.Gateway.Tests;

public sealed class ReverseProxyTests : IAsyncLifetime
{
    private readonly Dictionary<string, EchoBackend> _backends = [];
    private GatewayTestNode _gw = null!;

    public async Task InitializeAsync()
    {
        // Inference is left on a closed port: the node health must say so.
        foreach (var service in ServiceNames.Apis.Where(s => s != ServiceNames.Inference))
            _backends[service] = await EchoBackend.StartAsync(service);
        _gw = await GatewayTestNode.StartAsync(node =>
        {
            foreach (var (service, backend) in _backends)
                node["endpoints"]![service] = backend.Url.AbsoluteUri;
            node["endpoints"]![ServiceNames.Inference] = "http://127.0.0.1:1/";
        });
    }

    public async Task DisposeAsync()
    {
        await _gw.DisposeAsync();
        foreach (var backend in _backends.Values)
            await backend.DisposeAsync();
    }

    [Fact]
    public async Task ApiRequestArrivesWithoutItsPrefixWithForwardedPrefixAndTheCallersCorrelationId()
    {
        using var client = _gw.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/metadata/sets/basic?lang=zh");
        request.Headers.Add("X-Correlation-Id", "hosp-42.req-7");

        var response = await client.SendAsync(request);
        var received = await EchoBackend.ReadAsync(response);

        Assert.Equal(new EchoBackend.Received(ServiceNames.Metadata, "GET", "/sets/basic", "?lang=zh", "/api/metadata", "hosp-42.req-7", null, received.ForwardedFor), received);
        Assert.Equal(["hosp-42.req-7"], response.Headers.GetValues("X-Correlation-Id"));
    }

    [Fact]
    public async Task CorrelationIdMadeByTheGatewayReachesTheService()
    {
        using var client = _gw.CreateClient();
        var response = await client.PostAsync("/api/registration/resources", new StringContent("{}"));
        var received = await EchoBackend.ReadAsync(response);

        Assert.Equal(ServiceNames.Registration, received.Service);
        Assert.Equal("/resources", received.Path);
        Assert.False(string.IsNullOrEmpty(received.CorrelationId));
        Assert.Equal([received.CorrelationId!], response.Headers.GetValues("X-Correlation-Id"));
    }

    [Fact]
    public async Task GatewayDoesNotAuthorizeProxiedRequestsTheServiceDoes()
    {
        // No token, then a token the gateway cannot validate: both reach the service, which decides.
        using var client = _gw.CreateClient();
        Assert.Equal("/entries", (await EchoBackend.ReadAsync(await client.GetAsync("/api/directory/entries"))).Path);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        var received = await EchoBackend.ReadAsync(await client.GetAsync("/api/exchange/requests"));
        Assert.Equal((ServiceNames.Exchange, "/requests", "Bearer not-a-token"), (received.Service, received.Path, received.Authorization));
    }

    [Fact]
    public async Task DicomWebStowGoesToRegistrationAndQidoToDirectoryWithThePathKept()
    {
        using var client = _gw.CreateClient();
        var stow = await EchoBackend.ReadAsync(await client.PostAsync("/dicomweb/studies", new ByteArrayContent([1, 2, 3])));
        var qido = await EchoBackend.ReadAsync(await client.GetAsync("/dicomweb/studies?PatientID=P1"));

        Assert.Equal((ServiceNames.Registration, "POST", "/dicomweb/studies", (string?)null), (stow.Service, stow.Method, stow.Path, stow.ForwardedPrefix));
        Assert.Equal((ServiceNames.Directory, "GET", "/dicomweb/studies", "?PatientID=P1"), (qido.Service, qido.Method, qido.Path, qido.Query));
    }

    [Fact]
    public async Task ReverseProxySectionReplacesTheClusterTheNodeFileGives()
    {
        await using var overridden = new ServiceFactory<GatewayMarker>(_gw.Node, new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:metadata:Destinations:elsewhere:Address"] = _backends[ServiceNames.Exchange].Url.AbsoluteUri,
        });
        using var client = overridden.CreateClient();

        var received = await EchoBackend.ReadAsync(await client.GetAsync("/api/metadata/sets"));

        Assert.Equal((ServiceNames.Exchange, "/sets", "/api/metadata"), (received.Service, received.Path, received.ForwardedPrefix));
    }

    [Fact]
    public async Task NodeHealthNamesTheServiceThatDoesNotAnswerToAnAdministrator()
    {
        using var client = _gw.CreateClient().WithToken(TestTokens.Create(_gw.Node, "node-admin", Roles.Admin));
        var response = await client.GetAsync("/api/health");
        var health = await GatewayTestNode.JsonAsync(response);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var services = health.GetProperty("services");
        Assert.Equal(ServiceNames.All.Order(StringComparer.Ordinal), services.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var service in _backends.Keys.Append(ServiceNames.Gateway))
            Assert.True(services.GetProperty(service).GetProperty("status").GetString() == "Healthy", $"{service}: {services.GetProperty(service)}");
        var inference = services.GetProperty(ServiceNames.Inference);
        Assert.Equal("Unhealthy", inference.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, inference.GetProperty("error").ValueKind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Roles.Cataloguer)]
    public async Task NodeHealthTellsOthersTheStatusAlone(string? role)
    {
        using var client = _gw.CreateClient();
        if (role is not null) client.WithToken(TestTokens.Create(_gw.Node, "someone", role));

        var response = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(["status"], JsonDocument.Parse(body).RootElement.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_gw.Node.Database, body, StringComparison.Ordinal);
    }
}
