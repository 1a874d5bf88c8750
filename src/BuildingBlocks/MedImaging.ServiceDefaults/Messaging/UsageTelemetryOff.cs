using MassTransit;

namespace MedImaging.ServiceDefaults.Messaging;

/// <summary>
/// MassTransit 8.4+ reports "anonymous usage telemetry" (host name, OS, time zone, queue names) over HTTPS to a host on
/// the internet a few minutes after the bus starts. A node runs inside a hospital or government network and must make
/// no outbound calls, so every host turns it off.
/// </summary>
internal static class UsageTelemetryOff
{
    public const string EnvironmentVariable = "MASSTRANSIT_USAGE_TELEMETRY";

    public static void DisableUsageTelemetryEverywhere(this IBusRegistrationConfigurator bus)
    {
        bus.DisableUsageTelemetry();
        // MassTransit lets this variable override the option in either direction; an inherited "true" (a base image,
        // an operator's shell) must not turn reporting back on, so this process states its own value.
        Environment.SetEnvironmentVariable(EnvironmentVariable, "false");
    }
}
