using MedImaging.ServiceDefaults.Node;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace MedImaging.ServiceDefaults.Hosting;

/// <summary>
/// Before serving, the host connects once to PostgreSQL, RabbitMQ and Redis. Without this a missing broker shows up
/// as MassTransit retrying quietly in the background while the host looks alive.
/// </summary>
internal static class DependencyPreflight
{
    public static async Task<string?> FirstFailureAsync(NodeConnections connections, TimeSpan timeout)
    {
        try
        {
            // With the administrative connection the migration step is about to create the run-time role: check the server with it.
            var pg = new NpgsqlConnectionStringBuilder(connections.PostgresAdmin ?? connections.Postgres) { Timeout = (int)timeout.TotalSeconds };
            await using var conn = new NpgsqlConnection(pg.ConnectionString);
            await conn.OpenAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return $"PostgreSQL {connections.PostgresDisplay} unreachable: {ex.Message}";
        }

        try
        {
            var factory = new ConnectionFactory { Uri = connections.RabbitMq, RequestedConnectionTimeout = timeout, AutomaticRecoveryEnabled = false };
            await using var conn = await factory.CreateConnectionAsync("preflight");
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return $"RabbitMQ {connections.RabbitMqDisplay} unreachable: {Innermost(ex).Message}";
        }

        try
        {
            var options = ConfigurationOptions.Parse(connections.Redis);
            options.ConnectTimeout = (int)timeout.TotalMilliseconds;
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            await redis.GetDatabase().PingAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return $"Redis {string.Join(",", ConfigurationOptions.Parse(connections.Redis).EndPoints)} unreachable: {ex.Message.Split('\n')[0]}";
        }
        return null;
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);
}
