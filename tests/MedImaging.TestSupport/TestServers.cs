using System.Diagnostics;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;

namespace MedImaging.TestSupport;

/// <summary>
/// Where the real PostgreSQL, RabbitMQ and Redis are. On these machines deploy/local/servers.sh starts them from Debian
/// packages and exports their addresses (ConnectionStrings__*); where those are absent and a Docker engine answers,
/// Testcontainers starts them once per test process. Never an in-memory stand-in.
/// </summary>
public sealed record TestServers(string Postgres, Uri RabbitMq, string Redis, Uri RabbitManagement, string RabbitUser, string RabbitPassword)
{
    /// <summary>The maintenance database, for CREATE/DROP DATABASE.</summary>
    public string PostgresAdmin => new Npgsql.NpgsqlConnectionStringBuilder(Postgres) { Database = "postgres" }.ConnectionString;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestServers? _current;

    public static async Task<TestServers> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _current ??= FromEnvironment() ?? await StartContainersAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static TestServers? FromEnvironment()
    {
        var pg = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        var amqp = Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq");
        var redis = Environment.GetEnvironmentVariable("ConnectionStrings__Redis");
        var mgmt = Environment.GetEnvironmentVariable("MEDCAT_RABBITMQ_MANAGEMENT");
        if (pg is null || amqp is null || redis is null || mgmt is null) return null;
        return new TestServers(pg, new Uri(amqp), redis, new Uri(mgmt),
            Environment.GetEnvironmentVariable("MEDCAT_RABBITMQ_USER") ?? "medcat",
            Environment.GetEnvironmentVariable("MEDCAT_RABBITMQ_PASSWORD") ?? "medcat-dev");
    }

    private static async Task<TestServers> StartContainersAsync()
    {
        if (!DockerAnswers())
            throw new InvalidOperationException(
                "No test servers: ConnectionStrings__Postgres/RabbitMq/Redis and MEDCAT_RABBITMQ_MANAGEMENT are unset and no Docker engine answers. " +
                "Run the tests through ./test.sh, which starts PostgreSQL, RabbitMQ and Redis on 127.0.0.1.");

        var pg = new PostgreSqlBuilder("postgres:15").WithUsername("medcat").WithPassword("medcat-dev").Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.10-management").WithUsername("medcat").WithPassword("medcat-dev")
            .WithPortBinding(15672, true).Build();
        var redis = new RedisBuilder("redis:7").Build();
        await Task.WhenAll(pg.StartAsync(), rabbit.StartAsync(), redis.StartAsync());

        var pgBuilder = new Npgsql.NpgsqlConnectionStringBuilder(pg.GetConnectionString()) { Database = null };
        return new TestServers(pgBuilder.ConnectionString,
            new Uri($"amqp://medcat:medcat-dev@{rabbit.Hostname}:{rabbit.GetMappedPublicPort(5672)}"),
            redis.GetConnectionString(),
            new Uri($"http://{rabbit.Hostname}:{rabbit.GetMappedPublicPort(15672)}"), "medcat", "medcat-dev");
    }

    // The docker client is installed on machines without an engine; only a server answer counts.
    private static bool DockerAnswers()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (docker is null) return false;
            if (!docker.WaitForExit(10_000)) { docker.Kill(); return false; }
            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
