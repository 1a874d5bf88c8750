using System.Net;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Node;
using MedImaging.TestSupport;

namespace MedImaging.Gateway.Tests;

/// <summary>A gateway with a tiny limit (3 requests a window). Each test uses its own callers, so order does not matter.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private EchoBackend _metadata = null!;
    private GatewayTestNode _gw = null!;

    public async Task InitializeAsync()
    {
        _metadata = await EchoBackend.StartAsync(ServiceNames.Metadata);
        _gw = await GatewayTestNode.StartAsync(
            node => node["endpoints"]![ServiceNames.Metadata] = _metadata.Url.AbsoluteUri,
            Settings);
    }

    private static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Gateway:RateLimit:PermitLimit"] = "3", ["Gateway:RateLimit:MachinePermitLimit"] = "8", ["Gateway:RateLimit:SignInPermitLimit"] = "3",
        ["Gateway:RateLimit:WindowSeconds"] = "300",
    };

    public async Task DisposeAsync()
    {
        await _gw.DisposeAsync();
        await _metadata.DisposeAsync();
    }

    [Fact]
    public async Task ProxiedRequestBeyondTheLimitIsAnswered429WithProblemDetails()
    {
        using var client = _gw.CreateClient().WithToken(TestTokens.Create(_gw.Node, "rl-a", Roles.Researcher));
        for (var i = 0; i < 3; i++)
            await EchoBackend.ReadAsync(await client.GetAsync("/api/metadata/sets"));

        var refused = await client.GetAsync("/api/metadata/sets");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter is not null, "no Retry-After header");
        var problem = await GatewayTestNode.JsonAsync(refused);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task EachTokenSubjectHasItsOwnAllowance()
    {
        using var first = _gw.CreateClient().WithToken(TestTokens.Create(_gw.Node, "rl-b", Roles.Researcher));
        for (var i = 0; i < 3; i++)
            await EchoBackend.ReadAsync(await first.GetAsync("/api/metadata/sets"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.GetAsync("/api/metadata/sets")).StatusCode);

        using var second = _gw.CreateClient().WithToken(TestTokens.Create(_gw.Node, "rl-c", Roles.Researcher));
        Assert.Equal("/sets", (await EchoBackend.ReadAsync(await second.GetAsync("/api/metadata/sets"))).Path);
    }

    [Fact]
    public async Task PacsAdaptersHaveTheMachineAllowance()
    {
        using var adapter = _gw.CreateClient().WithToken(TestTokens.Create(_gw.Node, "rl-pacs", Roles.Adapter));
        for (var i = 0; i < 8; i++)
            Assert.Equal("/sets", (await EchoBackend.ReadAsync(await adapter.GetAsync("/api/metadata/sets"))).Path);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await adapter.GetAsync("/api/metadata/sets")).StatusCode);
    }

    [Fact]
    public async Task TwoGatewayInstancesOfTheNodeShareOneAllowance()
    {
        await using var second = new ServiceFactory<GatewayMarker>(_gw.Node, Settings);
        var token = TestTokens.Create(_gw.Node, "rl-d", Roles.Researcher);
        using var first = _gw.CreateClient().WithToken(token);
        using var other = second.CreateClient().WithToken(token);
        for (var i = 0; i < 2; i++)
            await EchoBackend.ReadAsync(await first.GetAsync("/api/metadata/sets"));
        await EchoBackend.ReadAsync(await other.GetAsync("/api/metadata/sets"));

        Assert.Equal(HttpStatusCode.TooManyRequests, (await other.GetAsync("/api/metadata/sets")).StatusCode);
    }

    [Fact]
    public async Task TokenEndpointIsLimitedPerClientAddress()
    {
        // Sign-in requests from one address share its allowance, whichever accounts they name: spraying stops at the limit.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await _gw.PasswordGrantAsync($"nobody-{i}", $"guess-{i}")).StatusCode);

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }
}
