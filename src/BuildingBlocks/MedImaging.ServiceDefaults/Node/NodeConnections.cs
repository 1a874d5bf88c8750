using Microsoft.Extensions.Configuration;
using Npgsql;

namespace MedImaging.ServiceDefaults.Node;

/// <summary>
/// The node's connection strings. Configuration names the servers and credentials; the node file names the
/// database and the virtual host, so the same environment serves every node on a machine.
/// </summary>
public sealed record NodeConnections(string Postgres, Uri RabbitMq, string Redis)
{
    /// <summary>
    /// ConnectionStrings:PostgresAdmin, optional: the administrative connection only the migration step gets (it creates the
    /// service's database roles and runs migrations as the owner role; docs/adr/0022). Null at run time.
    /// </summary>
    public string? PostgresAdmin { get; init; }

    public static NodeConnections From(IConfiguration configuration, NodeDescriptor node)
    {
        string Required(string name) =>
            configuration.GetConnectionString(name) is { Length: > 0 } value
                ? value
                : throw new NodeConfigurationException($"ConnectionStrings:{name} is not set (environment variable ConnectionStrings__{name}).");

        var pg = OnNodeDatabase("Postgres", Required("Postgres"), node);
        var admin = configuration.GetConnectionString("PostgresAdmin") is { Length: > 0 } adminValue
            ? OnNodeDatabase("PostgresAdmin", adminValue, node).ConnectionString
            : null;

        if (!Uri.TryCreate(Required("RabbitMq"), UriKind.Absolute, out var amqp) || amqp.Scheme is not ("amqp" or "amqps"))
            throw new NodeConfigurationException("ConnectionStrings:RabbitMq is not an amqp:// URL.");
        var rabbit = new UriBuilder(amqp) { Path = "/" + Uri.EscapeDataString(node.Vhost) }.Uri;

        return new NodeConnections(pg.ConnectionString, rabbit, Required("Redis")) { PostgresAdmin = admin };
    }

    private static NpgsqlConnectionStringBuilder OnNodeDatabase(string name, string value, NodeDescriptor node)
    {
        NpgsqlConnectionStringBuilder pg;
        try
        {
            pg = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException ex)
        {
            throw new NodeConfigurationException($"ConnectionStrings:{name} is malformed: {ex.Message}", ex);
        }
        if (!string.IsNullOrEmpty(pg.Database) && pg.Database != node.Database)
            throw new NodeConfigurationException(
                $"ConnectionStrings:{name} names database '{pg.Database}' but {node.SourceFile} field database says '{node.Database}'.");
        pg.Database = node.Database;
        return pg;
    }

    /// <summary>The broker address without credentials, for log lines and error messages.</summary>
    public string RabbitMqDisplay => $"{RabbitMq.Scheme}://{RabbitMq.Host}:{RabbitMq.Port}{RabbitMq.AbsolutePath}";

    public string PostgresDisplay
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(Postgres);
            return $"{b.Host}:{b.Port}/{b.Database}";
        }
    }
}
