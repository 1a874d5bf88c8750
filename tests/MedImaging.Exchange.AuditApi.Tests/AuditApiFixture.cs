using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Exchange.AuditApi.Tests;

/// <summary>One node (own database and vhost) with the Exchange host per test class, and a client per role.</summary>
public sealed class AuditApiFixture : IAsyncLifetime
{
    public NodeTestEnvironment Node { get; private set; } = null!;
    public ServiceFactory<ExchangeServiceMarker> Factory { get; private set; } = null!;
    public IServiceProvider Services => Factory.Services;

    public async Task InitializeAsync()
    {
        Node = await NodeTestEnvironment.CreateAsync();
        var created = await AuditTable.CreateSchemaIfAheadOfMigrationsAsync(Node.PostgresConnectionString);
        Factory = new ServiceFactory<ExchangeServiceMarker>(Node, created ? new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" } : null);
        using (Factory.CreateClient()) { } // starts the host (which migrates, when the schema was not created above)
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Node.DisposeAsync();
    }

    private readonly Dictionary<string, Task<IReadOnlyList<Audit.AuditRecord>>> _seeded = [];

    /// <summary>Rows a test class shares, inserted once for the class (xunit makes a new class instance per test).</summary>
    public Task<IReadOnlyList<Audit.AuditRecord>> SeedOnceAsync(string key, params Row[] rows)
    {
        lock (_seeded)
        {
            if (!_seeded.TryGetValue(key, out var task)) _seeded[key] = task = AuditRows.InsertAsync(Node.PostgresConnectionString, rows);
            return task;
        }
    }

    public HttpClient As(string user, params string[] roles) => Factory.CreateClient().WithToken(TestTokens.Create(Node, user, roles));

    public HttpClient Regulator() => As("regulator-1", Roles.Regulator);

    /// <summary>The audit events this service has put into its outbox (the trail's consumer appends them from there).</summary>
    public async Task<IReadOnlyList<JsonObject>> AuditEventsInOutboxAsync(string action)
    {
        await using var conn = new NpgsqlConnection(Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT body::text FROM exchange.outbox_messages WHERE message_type = 'MedImaging.Contracts.Audit.AuditEventRecorded' AND body->>'action' = @a ORDER BY sequence", conn);
        cmd.Parameters.AddWithValue("a", action);
        var events = new List<JsonObject>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) events.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
        return events;
    }
}
