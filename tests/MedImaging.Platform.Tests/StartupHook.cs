using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

#pragma warning disable CA1050 // the runtime looks the hook up as a type named StartupHook in no namespace

/// <summary>
/// Loaded into the hosts that <see cref="MedImaging.Platform.Tests.NoOutboundCallsTests"/> starts (DOTNET_STARTUP_HOOKS),
/// never into a real deployment. MassTransit sends its usage report 5 minutes after the bus starts; this asks for it
/// at shutdown instead (<c>ReportOnShutdown</c>), so a test of bounded length sees the attempt if reporting is on. It
/// does not turn reporting on: whether it is on stays the host's own configuration.
/// </summary>
internal static class StartupHook
{
    public static void Initialize() => DiagnosticListener.AllListeners.Subscribe(new HostBuildingObserver());

    private sealed class HostBuildingObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting") value.Subscribe(this);
        }

        // The same event WebApplicationFactory uses to reach a minimal-hosting app's builder before Build().
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilding" && value.Value is IHostBuilder builder)
                builder.ConfigureServices(services => services.AddOptions<UsageTelemetryOptions>().Configure(o => o.ReportOnShutdown = true));
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }
    }
}
