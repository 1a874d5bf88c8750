using MedImaging.ServiceDefaults.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.ServiceDefaults.Hosting;

public static class ServiceHostExtensions
{
    public const int ConfigurationError = 2;
    public const int DependencyUnreachable = 3;

    /// <summary>
    /// Runs the host, or refuses with one line on stderr and a non-zero exit code when its configuration is invalid or a
    /// server it needs does not answer. With <c>--migrate</c> it applies its migrations and exits (the migrator step).
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app, string[] args)
    {
        var host = app.Services.GetRequiredService<ServiceHostContext>();
        if (host.Problem is not null)
            return Refuse(host, host.Problem, ConfigurationError);

        var unreachable = await DependencyPreflight.FirstFailureAsync(host.RequiredConnections, TimeSpan.FromSeconds(10));
        if (unreachable is not null)
            return Refuse(host, unreachable, DependencyUnreachable);

        if (args.Contains("--migrate"))
        {
            try
            {
                foreach (var migrator in app.Services.GetServices<IDatabaseMigrator>())
                    await migrator.MigrateAsync(CancellationToken.None);
                foreach (var step in app.Services.GetServices<IMigrateStep>())
                    await step.RunAsync(CancellationToken.None);
            }
            catch (Node.NodeConfigurationException ex)
            {
                return Refuse(host, ex.Message, ConfigurationError);
            }
            await Console.Out.WriteLineAsync($"{host.ServiceName}: migrations applied.");
            return 0;
        }

        await app.RunAsync();
        return 0;
    }

    private static int Refuse(ServiceHostContext host, string line, int code)
    {
        Console.Error.WriteLine($"{host.ServiceName}: cannot start: {line}");
        return code;
    }
}
