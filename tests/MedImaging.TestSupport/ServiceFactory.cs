using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MedImaging.TestSupport;

/// <summary>
/// One host of the test node, in process, on the real servers. Several factories over one
/// <see cref="NodeTestEnvironment"/> make a node whose services talk through the real broker.
/// </summary>
public sealed class ServiceFactory<TMarker>(NodeTestEnvironment node, IReadOnlyDictionary<string, string?>? extra = null)
    : WebApplicationFactory<TMarker>, ITestHost where TMarker : class
{
    public NodeTestEnvironment NodeEnvironment => node;

    // Only the gateway gets the private signing key, only Registration its service client's credentials, as up.sh gives
    // them (TestSupport references no host, hence the assembly names).
    private static bool IsGateway => IsHost("MedImaging.Gateway");

    private static bool IsHost(string assembly) => typeof(TMarker).Assembly.GetName().Name == assembly;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: Program reads the node file before Build().
        foreach (var (key, value) in IsGateway ? node.GatewaySettings : node.Settings) builder.UseSetting(key, value);
        if (IsHost("MedImaging.Registration"))
            foreach (var (key, value) in node.RegistrationClientSettings) builder.UseSetting(key, value);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
    }
}

/// <summary>A service host under test, whichever service it is.</summary>
public interface ITestHost : IAsyncDisposable
{
    HttpClient CreateClient();
    IServiceProvider Services { get; }
}
