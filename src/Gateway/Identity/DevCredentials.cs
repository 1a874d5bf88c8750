using System.Security.Cryptography;
using System.Text.Json;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Data;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Gateway.Identity;

/// <summary>
/// <c>--seed-dev-credentials FILE</c>: one user per person role, a PACS adapter client, a peer-node client and the
/// portal client, with random secrets written once to FILE (mode 600). When FILE exists it is printed and nothing
/// changes, so local scripts can call this on every start. Each account gets the clearance its role needs (ADR 0021):
/// node-wide users, the adapter bound to its hospital, and — when the node file lists institutions — a cataloguer bound
/// to the first one.
/// </summary>
public static class DevCredentials
{
    public const string Flag = "--seed-dev-credentials";
    public const string AdapterClientId = "dev-pacs-adapter";
    public const string PeerNodeClientId = "dev-peer-node";
    public const string HospitalCataloguer = "dev-hospital-cataloguer";

    public static readonly IReadOnlyList<string> UserRoles =
        [Roles.Cataloguer, Roles.Reviewer, Roles.Publisher, Roles.Regulator, Roles.Admin, Roles.Researcher, Roles.Public];

    /// <summary>The clearance of each dev user, by its one role: what that role's work needs, node-wide.</summary>
    public static readonly IReadOnlyDictionary<string, string> UserClearances = new Dictionary<string, string>
    {
        [Roles.Admin] = SecurityLevels.Confidential,
        [Roles.Regulator] = SecurityLevels.Confidential,
        [Roles.Reviewer] = SecurityLevels.Restricted,
        [Roles.Publisher] = SecurityLevels.Restricted,
        [Roles.Cataloguer] = SecurityLevels.Internal,
        [Roles.Researcher] = SecurityLevels.Internal,
        [Roles.Public] = SecurityLevels.Public,
    };

    public sealed record UserCredential(string UserName, string Password, IReadOnlyList<string> Roles, string Clearance, string? Institution);
    public sealed record ClientCredential(string ClientId, string ClientSecret, IReadOnlyList<string> Roles, string Clearance, string? Institution);
    public sealed record CredentialsFile(string NodeId, Uri TokenEndpoint, string PortalClientId, IReadOnlyList<UserCredential> Users, IReadOnlyList<ClientCredential> Clients);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The FILE after the flag, or null when the flag is absent. A flag without a file is an error.</summary>
    public static string? RequestedFile(string[] args)
    {
        var i = Array.IndexOf(args, Flag);
        if (i < 0) return null;
        return i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
            ? args[i + 1]
            : throw new ArgumentException($"{Flag} needs a file name.");
    }

    public static async Task<int> RunAsync(WebApplication app, string file)
    {
        var host = app.Services.GetRequiredService<ServiceHostContext>();
        if (host.Problem is not null)
        {
            await Console.Error.WriteLineAsync($"{host.ServiceName}: cannot seed: {host.Problem}");
            return ServiceHostExtensions.ConfigurationError;
        }
        if (File.Exists(file))
        {
            await Console.Out.WriteLineAsync(await File.ReadAllTextAsync(file));
            return 0;
        }

        foreach (var migrator in app.Services.GetServices<IDatabaseMigrator>())
            await migrator.MigrateAsync(CancellationToken.None);

        var credentials = await SeedAsync(app.Services, host);
        var text = JsonSerializer.Serialize(credentials, Json);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(file, options))
        await using (var writer = new StreamWriter(stream))
            await writer.WriteLineAsync(text);
        await Console.Out.WriteLineAsync(text);
        return 0;
    }

    private static async Task<CredentialsFile> SeedAsync(IServiceProvider services, ServiceHostContext host)
    {
        var node = host.RequiredNode;
        // When FILE was lost the accounts already exist: they get new secrets, since FILE is the only record of them.
        var users = UserRoles.Select(r => new UserCredential($"dev-{r}", NewSecret(), [r], UserClearances[r], null)).ToList();
        var firstInstitution = node.Institutions.Count > 0 ? node.Institutions[0].Code : null;
        if (firstInstitution is not null)
            users.Add(new UserCredential(HospitalCataloguer, NewSecret(), [Roles.Cataloguer], SecurityLevels.Internal, firstInstitution));
        foreach (var u in users)
            await GatewaySeeder.EnsureUserAsync(services, u.UserName, u.Password, u.Roles, u.Clearance, u.Institution);

        // The adapter pushes for one hospital: the node file's adapters map says which, else the first institution.
        var adapterInstitution = (node.Adapters.TryGetValue(AdapterClientId, out var adapter) ? adapter.Institution : null) ?? firstInstitution;
        List<ClientCredential> clients =
        [
            new(AdapterClientId, NewSecret(), [Roles.Adapter], SecurityLevels.Internal, adapterInstitution),
            new(PeerNodeClientId, NewSecret(), [Roles.Node], SecurityLevels.Restricted, null),
        ];
        foreach (var c in clients)
            await GatewaySeeder.EnsureClientAsync(services, c.ClientId, c.ClientSecret, c.Roles, c.Clearance, c.Institution);

        await GatewaySeeder.EnsurePortalClientAsync(services, PortalRedirectUris(node.GatewayUrl));
        return new CredentialsFile(node.NodeId, new Uri(node.GatewayUrl, IdentityExtensions.TokenPath), GatewaySeeder.PortalClientId, users, clients);
    }

    /// <summary>Where the node's own portal receives authorization codes.</summary>
    public static Uri[] PortalRedirectUris(Uri gatewayUrl) => [new(gatewayUrl, "portal/signin-callback")];

    private static string NewSecret() => Base64UrlEncode(RandomNumberGenerator.GetBytes(24));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
