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

    /// <summary>
    /// The service the marker's host is (gateway, registration …): its assembly is MedImaging.&lt;Service&gt;, the convention
    /// deploy/local/lib.sh uses too. It names the host's own database role.
    /// </summary>
    public string ServiceName => TestServiceNames.Of(typeof(TMarker));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: Program reads the node file before Build().
        foreach (var (key, value) in node.SettingsFor(ServiceName)) builder.UseSetting(key, value);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
    }
}

/// <summary>Which service a host's marker type belongs to.</summary>
public static class TestServiceNames
{
    /// <summary>The marker's assembly is MedImaging.&lt;Service&gt; (the convention deploy/local/lib.sh uses too).</summary>
    public static string Of(Type marker) => marker.Assembly.GetName().Name!["MedImaging.".Length..].ToLowerInvariant();
}

/// <summary>A service host under test, whichever service it is.</summary>
public interface ITestHost : IAsyncDisposable
{
    HttpClient CreateClient();
    IServiceProvider Services { get; }
}
