using System.Security.Cryptography;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Hosting;
using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// The node's own services as OAuth clients (client credentials), for calls a service makes on its own behalf — today
/// Registration's consumers and ingest classification calling Metadata, and Directory's rebuild reading Registration's
/// published-entries feed. <c>--seed-service-clients DIR</c> creates each client with the secret in
/// <c>DIR/&lt;service&gt;.secret</c> (mode 600; generated when missing, kept when present, so
/// running it again changes nothing), which the service then reads (Auth:ClientSecretPath). See ADR 0003.
/// </summary>
public static class ServiceClients
{
    public const string Flag = "--seed-service-clients";
    public const string RegistrationClientId = "svc-registration";

    /// <summary>
    /// Registration reads the classification scheme and classifies studies (Metadata's policy metadata-read). No role
    /// grants only that; adapter is the narrowest that passes it: its other rights (ingest, the acquisition log) are
    /// Registration's own endpoints, whereas node, researcher, regulator or cataloguer would reach other services.
    /// </summary>
    public static readonly IReadOnlyList<string> RegistrationRoles = [Roles.Adapter];

    public const string DirectoryClientId = "svc-directory";

    /// <summary>
    /// Directory re-reads every published entry of its node from Registration's feed to rebuild its read model (ADR 0024):
    /// the feed's policy is federation (role node), and the feed filters by clearance, so the client is node-wide with
    /// clearance confidential — the whole published catalogue, as the read model holds it.
    /// </summary>
    public static readonly IReadOnlyList<string> DirectoryRoles = [Roles.Node];

    /// <summary>A service client: its roles and the clearance its tokens carry (node-wide: no institution).</summary>
    public sealed record ServiceClient(string Service, string ClientId, IReadOnlyList<string> Roles, string Clearance = SecurityLevels.Public);

    public static readonly IReadOnlyList<ServiceClient> All =
    [
        new(ServiceNames.Registration, RegistrationClientId, RegistrationRoles),
        new(ServiceNames.Directory, DirectoryClientId, DirectoryRoles, SecurityLevels.Confidential),
    ];

    /// <summary>
    /// The parent node's client at this gateway (ADR 0032): its Directory asks this node's Directory in distributed mode
    /// (role node, which the search and the published feed accept). Clearance restricted: conditional entries are listed
    /// to the parent, confidential ones never cross. The secret file goes to the parent's operators (up.sh --federation
    /// points the parent's Directory at it).
    /// </summary>
    public static IEnumerable<ServiceClient> PeerClients(NodeDescriptor node) =>
        node.Parent is { } parent ? [new ServiceClient(PeerClientId(parent), PeerClientId(parent), [Roles.Node], SecurityLevels.Restricted)] : [];

    public static string PeerClientId(string node) => $"peer-{node}";

    /// <summary>The DIR after the flag, or null when the flag is absent. A flag without a directory is an error.</summary>
    public static string? RequestedDirectory(string[] args)
    {
        var i = Array.IndexOf(args, Flag);
        if (i < 0) return null;
        return i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
            ? args[i + 1]
            : throw new ArgumentException($"{Flag} needs a directory.");
    }

    public static async Task<int> RunAsync(WebApplication app, string directory)
    {
        var host = app.Services.GetRequiredService<ServiceHostContext>();
        if (host.Problem is not null)
        {
            await Console.Error.WriteLineAsync($"{host.ServiceName}: cannot seed service clients: {host.Problem}");
            return ServiceHostExtensions.ConfigurationError;
        }
        foreach (var migrator in app.Services.GetServices<IDatabaseMigrator>())
            await migrator.MigrateAsync(CancellationToken.None);
        foreach (var client in All.Concat(PeerClients(host.RequiredNode)))
        {
            var file = await EnsureAsync(app.Services, directory, client);
            await Console.Out.WriteLineAsync($"{host.ServiceName}: service client {client.ClientId} ({string.Join(", ", client.Roles)}); secret in {file}");
        }
        return 0;
    }

    /// <summary>Creates or updates the client with the secret of its file (written first when missing); the file's path.</summary>
    public static async Task<string> EnsureAsync(IServiceProvider services, string directory, ServiceClient client)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = Path.Combine(directory, client.Service + ".secret");
        string secret;
        if (File.Exists(file) && (await File.ReadAllTextAsync(file)).Trim() is { Length: > 0 } kept)
        {
            secret = kept;
        }
        else
        {
            secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using var stream = new FileStream(file, options);
            await using var writer = new StreamWriter(stream);
            await writer.WriteLineAsync(secret);
        }
        // Registration asks Metadata to classify, which no clearance filters: the least clearance does (ADR 0021); Directory
        // reads the whole published catalogue (ADR 0024).
        await GatewaySeeder.EnsureClientAsync(services, client.ClientId, secret, [.. client.Roles], client.Clearance);
        return file;
    }
}
