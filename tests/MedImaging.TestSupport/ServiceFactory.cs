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

    // Only the gateway gets the private signing key (TestSupport does not reference the gateway, hence the name).
    private static bool IsGateway => typeof(TMarker).Assembly.GetName().Name == "MedImaging.Gateway";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: Program reads the node file before Build().
        foreach (var (key, value) in IsGateway ? node.GatewaySettings : node.Settings) builder.UseSetting(key, value);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
    }
}

/// <summary>A service host under test, whichever service it is.</summary>
public interface ITestHost : IAsyncDisposable
{
    HttpClient CreateClient();
    IServiceProvider Services { get; }
}
