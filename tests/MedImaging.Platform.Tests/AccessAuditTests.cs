using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using MedImaging.Directory;
using MedImaging.Exchange;
using MedImaging.Gateway;
using MedImaging.Inference;
using MedImaging.Metadata;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace MedImaging.Platform.Tests;

/// <summary>
/// Every 401 and 403 of every host is one audit event in that host's own outbox (issue 11 item 4): who (anonymous for
/// a 401, whatever the bad token claims only as unverified details), which endpoint, why, from where.
/// </summary>
public sealed class AccessAuditTests : IAsyncLifetime
{
    private const string AuditType = "MedImaging.Contracts.Audit.AuditEventRecorded";
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("zanhuang");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    // host (= its schema), a protected path, its route pattern, a role the endpoint refuses and the policy it names
    public static TheoryData<string, string, string, string, string> Hosts => new()
    {
        { "gateway", "/admin/sign-in/accounts", "/admin/sign-in/accounts/", Roles.Cataloguer, Policies.Admin },
        { "registration", "/metadata-sets/active", "/metadata-sets/active", Roles.Public, Policies.Catalogue },
        { "metadata", "/sets/basic", "/sets/{code}", Roles.Public, Policies.MetadataRead },
        { "directory", "/schema-versions", "/schema-versions", Roles.Adapter, Policies.Search },
        { "exchange", "/links", "/links", Roles.Researcher, Policies.Audit },
        { "inference", "/jobs", "/jobs", Roles.Public, Policies.Analyse },
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task EveryRefusalIsOneAuditEventInTheHostsOwnOutbox(string host, string path, string pattern, string denied, string policy)
    {
        await using var factory = Start(_node, host);

        var missing = await SendAsync(factory, path, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        var e = await SingleAuditAsync(host, missing.CorrelationId);
        AssertRequest(e, host, path, pattern, missing);
        Assert.Equal("access-unauthenticated", e.GetProperty("action").GetString());
        AssertOutcome(e, "denied", "token_missing");
        Assert.Equal("anonymous", e.GetProperty("actor").GetProperty("subjectId").GetString());
        Assert.Empty(e.GetProperty("details").EnumerateObject());

        // Expired, and signed by another key: the token's subject is not trusted, only noted as unverified.
        using var foreignKey = RSA.Create(2048);
        foreach (var (token, reason, claimed) in new[]
        {
            (Token(_node, "stale-user", DateTime.UtcNow.AddHours(-1), NodeSigningKey.Load(_node.SigningKeyPath)), "token_expired", "stale-user"),
            (Token(_node, "intruder", DateTime.UtcNow.AddHours(1), new RsaSecurityKey(foreignKey)), "invalid_signature", "intruder"),
        })
        {
            var bad = await SendAsync(factory, path, token);
            Assert.True(bad.Status == HttpStatusCode.Unauthorized, $"{reason}: {(int)bad.Status} {bad.Body}");
            // Over a real server: the header's description is ASCII (Kestrel refuses anything else with a 500).
            Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"The ", bad.WwwAuthenticate, StringComparison.Ordinal);
            e = await SingleAuditAsync(host, bad.CorrelationId);
            AssertRequest(e, host, path, pattern, bad);
            Assert.Equal("access-unauthenticated", e.GetProperty("action").GetString());
            AssertOutcome(e, "denied", reason);
            Assert.Equal("anonymous", e.GetProperty("actor").GetProperty("subjectId").GetString());
            Assert.Empty(e.GetProperty("actor").GetProperty("roles").EnumerateArray());
            Assert.Equal(claimed, e.GetProperty("details").GetProperty("unverifiedSubject").GetString());
        }

        var forbidden = await SendAsync(factory, path, TestTokens.CreateScoped(_node, "clerk-7", SecurityLevels.Internal, "HOSP-A", denied));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        e = await SingleAuditAsync(host, forbidden.CorrelationId);
        AssertRequest(e, host, path, pattern, forbidden);
        Assert.Equal("access-forbidden", e.GetProperty("action").GetString());
        var reasonText = AssertOutcome(e, "denied", null);
        Assert.Contains($"policy {policy}", reasonText, StringComparison.Ordinal);
        Assert.Contains(Roles.Admin, reasonText, StringComparison.Ordinal);
        var actor = e.GetProperty("actor");
        Assert.Equal("clerk-7", actor.GetProperty("subjectId").GetString());
        Assert.Equal([denied], actor.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        // Test tokens of adapters and peer nodes name their client as the gateway does (client id = subject); others "test".
        Assert.Equal(denied is Roles.Adapter or Roles.Node ? "clerk-7" : "test", actor.GetProperty("clientId").GetString());
        Assert.Equal("HOSP-A", actor.GetProperty("institution").GetString());
        Assert.Equal(SecurityLevels.Internal, actor.GetProperty("clearance").GetString());
        Assert.Equal(_node.Node["nodeId"]!.GetValue<string>(), actor.GetProperty("node").GetString());
        Assert.Equal(policy, e.GetProperty("details").GetProperty("requiredPolicies").GetString());
    }

    [Fact]
    public async Task ARequestTheGatewayProxiesIsAuditedOnceByTheServiceBehindItNotByTheGateway()
    {
        await using var node = await NodeTestEnvironment.CreateAsync("zanhuang");
        await using var metadata = Start(node, "metadata");
        // The gateway routes by the node file: point it at the port the Metadata host got.
        var tier = node.Node;
        tier["endpoints"]!["metadata"] = metadata.Url.AbsoluteUri;
        await File.WriteAllTextAsync(node.TierFile, tier.ToJsonString());
        await using var gateway = Start(node, "gateway");

        var proxied = await SendAsync(gateway, "/api/metadata/sets/basic", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, proxied.Status);
        Assert.Equal("token_missing", proxied.Problem!.Value.GetProperty("reason").GetString());
        Assert.Equal(0, await CountAsync(node, $"SELECT count(*) FROM gateway.outbox_messages WHERE message_type = '{AuditType}' AND correlation_id = ANY($1)",
            [proxied.CorrelationId]));
        var e = await SingleAuditAsync(node, "metadata", proxied.CorrelationId);
        Assert.Equal("GET /sets/{code}", e.GetProperty("resource").GetProperty("id").GetString());
        // The path as the caller asked for it, through the gateway's prefix (X-Forwarded-Prefix).
        Assert.Equal("/api/metadata/sets/basic", e.GetProperty("resource").GetProperty("identifier").GetString());
        Assert.Equal(proxied.UserAgent, e.GetProperty("userAgent").GetString());
        Assert.Equal("127.0.0.1", e.GetProperty("sourceAddress").GetString());
    }

    [Fact]
    public async Task ARefusalIsStillAnsweredWhenTheDatabaseIsDownAndOnlyItsRecordIsLost()
    {
        await using var metadata = Start(_node, "metadata");
        await SingleAuditAsync("metadata", (await SendAsync(metadata, "/sets", token: null)).CorrelationId);

        Sent missing, forbidden;
        await AllowConnectionsAsync(false);
        try
        {
            missing = await SendAsync(metadata, "/sets", token: null);
            forbidden = await SendAsync(metadata, "/sets", TestTokens.Create(_node, "clerk-8", Roles.Public));
        }
        finally
        {
            await AllowConnectionsAsync(true);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal("token_missing", missing.Problem!.Value.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Contains(Roles.Admin, forbidden.Problem!.Value.GetProperty("requiredRoles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(0, await CountAsync(_node, $"SELECT count(*) FROM metadata.outbox_messages WHERE message_type = '{AuditType}' AND correlation_id = ANY($1)",
            [missing.CorrelationId, forbidden.CorrelationId]));

        // Back up: the next refusal is recorded again.
        await SingleAuditAsync("metadata", (await SendAsync(metadata, "/sets", token: null)).CorrelationId);
    }

    // The node's database refuses new connections and loses its open ones, as when PostgreSQL is down for this node.
    private async Task AllowConnectionsAsync(bool allowed)
    {
        await using (var conn = new NpgsqlConnection(_node.Servers.PostgresAdmin))
        {
            await conn.OpenAsync();
            await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{_node.Database}\" ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", conn);
            await alter.ExecuteNonQueryAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", conn);
            kill.Parameters.Add(new() { Value = _node.Database });
            if (!allowed) await kill.ExecuteScalarAsync();
        }
        NpgsqlConnection.ClearAllPools();
    }

    private sealed record Sent(HttpStatusCode Status, string CorrelationId, string UserAgent, JsonElement? Problem, string Body, string WwwAuthenticate);

    private static async Task<Sent> SendAsync(Host host, string path, string? token)
    {
        var correlation = $"audit-{Guid.NewGuid():N}";
        var userAgent = $"access-audit-test/{Guid.NewGuid():N}";
        using var client = new HttpClient { BaseAddress = host.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Correlation-Id", correlation);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        JsonElement? problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonDocument.Parse(body).RootElement : null;
        return new Sent(response.StatusCode, correlation, userAgent, problem, body, string.Join(", ", response.Headers.WwwAuthenticate));
    }

    private static void AssertRequest(JsonElement e, string host, string path, string pattern, Sent sent)
    {
        Assert.Equal(host, e.GetProperty("service").GetString());
        var resource = e.GetProperty("resource");
        Assert.Equal("endpoint", resource.GetProperty("kind").GetString());
        Assert.Equal($"GET {pattern}", resource.GetProperty("id").GetString());
        Assert.Equal(path, resource.GetProperty("identifier").GetString());
        Assert.Equal(sent.UserAgent, e.GetProperty("userAgent").GetString());
        Assert.Equal(sent.CorrelationId, e.GetProperty("correlationId").GetString());
        Assert.Equal("127.0.0.1", e.GetProperty("sourceAddress").GetString());
        // The answer itself is unchanged: the same problem details as before auditing.
        Assert.NotNull(sent.Problem);
    }

    private static string AssertOutcome(JsonElement e, string result, string? reason)
    {
        var outcome = e.GetProperty("outcome");
        Assert.Equal(result, outcome.GetProperty("result").GetString());
        var actual = outcome.GetProperty("reason").GetString()!;
        if (reason is not null) Assert.Equal(reason, actual);
        return actual;
    }

    private Task<JsonElement> SingleAuditAsync(string schema, string correlationId) => SingleAuditAsync(_node, schema, correlationId);

    private static async Task<JsonElement> SingleAuditAsync(NodeTestEnvironment node, string schema, string correlationId)
    {
        await using var conn = new NpgsqlConnection(node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT body::text FROM {schema}.outbox_messages WHERE message_type = '{AuditType}' AND correlation_id = $1", conn);
        cmd.Parameters.Add(new() { Value = correlationId });
        var bodies = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) bodies.Add(reader.GetString(0));
        return JsonDocument.Parse(Assert.Single(bodies)).RootElement;
    }

    private static async Task<long> CountAsync(NodeTestEnvironment node, string sql, string[] ids)
    {
        await using var conn = new NpgsqlConnection(node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new() { Value = ids });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static string Token(NodeTestEnvironment node, string user, DateTime expires, SecurityKey key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = new Uri(node.Node["endpoints"]!["gateway"]!.GetValue<string>()).AbsoluteUri,
        Audience = NodeSigningKey.Audience,
        Subject = new ClaimsIdentity([new Claim("sub", user), new Claim("role", Roles.Admin)]),
        IssuedAt = expires.AddHours(-1),
        NotBefore = expires.AddHours(-1),
        Expires = expires,
        TokenType = "at+jwt",
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    // On Kestrel (loopback, port 0), so that the caller's address is a real connection's.
    private static Host Start(NodeTestEnvironment node, string host) => host switch
    {
        "gateway" => OnKestrel(new ServiceFactory<GatewayMarker>(node)),
        "registration" => OnKestrel(new ServiceFactory<RegistrationServiceMarker>(node)),
        "metadata" => OnKestrel(new ServiceFactory<MetadataServiceMarker>(node)),
        "directory" => OnKestrel(new ServiceFactory<DirectoryServiceMarker>(node)),
        "exchange" => OnKestrel(new ServiceFactory<ExchangeServiceMarker>(node)),
        "inference" => OnKestrel(new ServiceFactory<InferenceServiceMarker>(node)),
        _ => throw new ArgumentOutOfRangeException(nameof(host)),
    };

    private static Host OnKestrel<TMarker>(ServiceFactory<TMarker> factory) where TMarker : class
    {
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Host(factory, new Uri(address));
    }

    private sealed record Host(ITestHost Factory, Uri Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }
}
