using System.Net;
using MedImaging.Directory;
using MedImaging.Exchange;
using MedImaging.Inference;
using MedImaging.Metadata;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Platform.Tests;

/// <summary>Every service validates tokens itself: no token is 401, a valid token without the role is 403.</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("zhengding");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    // service, a protected read, a role that may call it, a role that may not
    public static TheoryData<string, string, string, string> ProtectedEndpoints => new()
    {
        { "registration", "/metadata-sets/active", Roles.Cataloguer, Roles.Public },
        { "metadata", "/sets", Roles.Cataloguer, Roles.Public },
        { "directory", "/schema-versions", Roles.Researcher, Roles.Adapter },
        { "exchange", "/links", Roles.Regulator, Roles.Researcher },
        { "inference", "/jobs", Roles.Researcher, Roles.Public },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task UnauthenticatedIs401WrongRoleIs403RightRoleIs200(string service, string path, string allowed, string denied)
    {
        await using var factory = Create(service);

        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);

        using var wrongRole = factory.CreateClient().WithToken(TestTokens.Create(_node, "someone", denied));
        Assert.Equal(HttpStatusCode.Forbidden, (await wrongRole.GetAsync(path)).StatusCode);

        using var rightRole = factory.CreateClient().WithToken(TestTokens.Create(_node, "someone", allowed));
        var ok = await rightRole.GetAsync(path);
        Assert.True(ok.StatusCode == HttpStatusCode.OK, $"{service} {path}: {(int)ok.StatusCode} {await ok.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task TokenSignedByAnotherNodesKeyIs401()
    {
        await using var other = await NodeTestEnvironment.CreateAsync("zhengding");
        await using var factory = Create("metadata");
        using var client = factory.CreateClient().WithToken(TestTokens.Create(other, "intruder", Roles.Admin));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/sets")).StatusCode);
    }

    [Fact]
    public async Task HealthEndpointsAreOpenAndReadyChecksTheServers()
    {
        await using var factory = Create("registration");
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        // The bus connects in the background after start; ready turns healthy once it has.
        HttpResponseMessage ready;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            ready = await client.GetAsync("/health/ready");
            if (ready.StatusCode == HttpStatusCode.OK) break;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"postgresql\"", body, StringComparison.Ordinal);
        Assert.Contains("\"redis\"", body, StringComparison.Ordinal);
        Assert.Contains("masstransit", body, StringComparison.OrdinalIgnoreCase);
    }

    private ITestHost Create(string service) => service switch
    {
        "registration" => new ServiceFactory<RegistrationServiceMarker>(_node),
        "metadata" => new ServiceFactory<MetadataServiceMarker>(_node),
        "directory" => new ServiceFactory<DirectoryServiceMarker>(_node),
        "exchange" => new ServiceFactory<ExchangeServiceMarker>(_node),
        "inference" => new ServiceFactory<InferenceServiceMarker>(_node),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };
}
