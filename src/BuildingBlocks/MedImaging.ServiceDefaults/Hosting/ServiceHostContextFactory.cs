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
            return new ServiceHostContext
            {
                ServiceName = serviceName,
                Node = node,
                Connections = connections,
                SigningKey = LoadSigningKey(configuration, environment),
            };
        }
        catch (NodeConfigurationException ex)
        {
            return new ServiceHostContext { ServiceName = serviceName, Problem = ex.Message };
        }
    }

    private static Microsoft.IdentityModel.Tokens.RsaSecurityKey LoadSigningKey(IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration[NodeSigningKey.ConfigurationKey];
        if (string.IsNullOrWhiteSpace(path))
            throw new NodeConfigurationException("Auth:SigningKeyPath is not set (environment variable Auth__SigningKeyPath): the node's token signing key is required.");
        if (environment.IsDevelopment())
            NodeSigningKey.EnsureExists(path);
        if (!File.Exists(path))
            throw new NodeConfigurationException($"Auth:SigningKeyPath: {path} not found.");
        try
        {
            return NodeSigningKey.Load(path);
        }
        catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new NodeConfigurationException($"Auth:SigningKeyPath: {path} is not a PEM RSA private key ({ex.Message}).", ex);
        }
    }
}
