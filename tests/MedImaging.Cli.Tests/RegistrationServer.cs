using System.Globalization;
using System.Net;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedImaging.Cli.Tests;

/// <summary>
/// A Registration host of a fresh test node listening on a loopback port (Kestrel, not the in-memory test server), so
/// the CLI talks HTTP to it as it talks to a node; and an adapter token for it.
/// </summary>
public sealed class RegistrationServer : IAsyncDisposable
{
    private RegistrationServer(NodeTestEnvironment node, ServiceFactory<RegistrationServiceMarker> host, Uri url)
    {
        Node = node;
        Host = host;
        Url = url;
    }

    public NodeTestEnvironment Node { get; }
    public ServiceFactory<RegistrationServiceMarker> Host { get; }
    public Uri Url { get; }

    public static async Task<RegistrationServer> StartAsync(Action<System.Text.Json.Nodes.JsonObject>? editNode = null)
    {
        var node = await NodeTestEnvironment.CreateAsync(editNode: editNode);
        var host = new ServiceFactory<RegistrationServiceMarker>(node);
        host.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RegistrationServer(node, host, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>A token of an adapter (role adapter), as the gateway's client-credentials grant would issue it.</summary>
    public string AdapterToken(string adapter) => TestTokens.Create(Node, adapter, Roles.Adapter);

    public async Task<long> CountAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Node.DisposeAsync();
    }
}
