using System.Net;
using System.Text.Json.Nodes;
using MedImaging.Gateway;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Node;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Cli.Tests;

/// <summary>
/// A node's gateway in front of its Registration host, both on Kestrel (loopback, port 0), so that the request limits
/// are Kestrel's real ones: the CLI pushes to the gateway's URL as an adapter would.
/// </summary>
public sealed class GatewayNode : IAsyncDisposable
{
    private GatewayNode(RegistrationServer registration, ServiceFactory<GatewayMarker> gateway, Uri url)
    {
        Registration = registration;
        Gateway = gateway;
        Url = url;
    }

    public RegistrationServer Registration { get; }
    public ServiceFactory<GatewayMarker> Gateway { get; }
    public Uri Url { get; }

    public static async Task<GatewayNode> StartAsync(Action<JsonObject>? editNode = null)
    {
        var registration = await RegistrationServer.StartAsync(editNode);
        // The gateway routes by the node file: point it at the port the Registration host got.
        var node = registration.Node.Node;
        node["endpoints"]![ServiceNames.Registration] = registration.Url.AbsoluteUri;
        await File.WriteAllTextAsync(registration.Node.TierFile, node.ToJsonString());

        var gateway = new ServiceFactory<GatewayMarker>(registration.Node);
        gateway.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        gateway.StartServer();
        var address = gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayNode(registration, gateway, new Uri(address));
    }

    public string AdapterToken(string adapter) => TestTokens.Create(Registration.Node, adapter, Roles.Adapter);

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Registration.DisposeAsync();
    }
}
