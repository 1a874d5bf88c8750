using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Node;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace MedImaging.ServiceDefaults.Hosting;

internal static class ServiceHostContextFactory
{
    public static ServiceHostContext Create(IConfiguration configuration, IHostEnvironment environment, string serviceName)
    {
        try
        {
            var node = NodeConfigurationLoader.Load(configuration["Node:ConfigFile"] ?? "");
            var connections = NodeConnections.From(configuration, node);
            // Only the gateway holds private keys; a service validates with the published public keys alone, even when
            // its configuration names a private key file too.
            var signing = serviceName == ServiceNames.Gateway ? NodeSigningKeys.Load(configuration, environment) : null;
            return new ServiceHostContext
            {
                ServiceName = serviceName,
                Node = node,
                Connections = connections,
                SigningKeys = signing,
                TokenKeys = signing is not null ? NodeKeySet.Fixed(signing.Published) : LoadPublicKeys(configuration),
            };
        }
        catch (NodeConfigurationException ex)
        {
            return new ServiceHostContext { ServiceName = serviceName, Problem = ex.Message };
        }
    }

    private static NodeKeySet LoadPublicKeys(IConfiguration configuration)
    {
        var path = configuration[NodeSigningKey.PublicKeysConfigurationKey];
        if (string.IsNullOrWhiteSpace(path))
            throw new NodeConfigurationException(
                $"{NodeSigningKey.PublicKeysConfigurationKey} is not set (environment variable Auth__PublicKeysPath): a service validates tokens with the node's public keys (the JWKS file the gateway writes with --publish-keys); the private signing key stays with the gateway.");
        return NodeKeySet.Load(path);
    }
}
