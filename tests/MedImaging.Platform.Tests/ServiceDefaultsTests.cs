using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedImaging.Exchange;
using MedImaging.Metadata;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Platform.Tests;

/// <summary>What every host gets from AddServiceDefaults: API documents, problem details, correlation ids.</summary>
public sealed class ServiceDefaultsTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync("zanhuang");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task OpenApiDocumentAndReferencePageAreServed()
    {
        await using var exchange = new ServiceFactory<ExchangeServiceMarker>(_node);
        using var client = exchange.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/links", out _));
        Assert.Equal("bearer", document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Contains("赞皇县", document.RootElement.GetProperty("info").GetProperty("title").GetString(), StringComparison.Ordinal);

        var page = await client.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ErrorsAreProblemDetailsCarryingTheCorrelationId()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        using var client = metadata.CreateClient().WithToken(TestTokens.Create(_node, "reader", Roles.Cataloguer));
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "hospital-ticket-4711");

        var response = await client.GetAsync("/sets/no-such-set");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("hospital-ticket-4711", problem.GetProperty("correlationId").GetString());
        Assert.Equal("hospital-ticket-4711", response.Headers.GetValues("X-Correlation-Id").Single());
    }

    [Fact]
    public async Task CorrelationIdOfTheRequestTravelsWithItsEvent()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        using var client = metadata.CreateClient().WithToken(TestTokens.Create(_node, "admin", Roles.Admin));
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "activate-basic-v1");
        (await client.PostAsJsonAsync("/sets", new { code = "corr", nameZh = "关联", nameEn = "Correlation" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/sets/corr/versions", new { changeNote = "v1" })).EnsureSuccessStatusCode();
        (await client.PostAsync("/sets/corr/versions/1/activate", null)).EnsureSuccessStatusCode();

        await using var conn = new NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        // Seeding announces the seeded versions too (no request, no correlation id of this test's): this test's event is the set's.
        await using var cmd = new NpgsqlCommand("SELECT correlation_id FROM metadata.outbox_messages WHERE body->>'setCode' = 'corr'", conn);
        Assert.Equal("activate-basic-v1", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task RetentionDeletesOldSentMessagesAndInboxEntriesButNeverUnsentOnes()
    {
        await using (var first = new ServiceFactory<ExchangeServiceMarker>(_node)) first.CreateClient().Dispose(); // migrate

        await using var conn = new NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        async Task<long> Scalar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        await Scalar("""
            INSERT INTO exchange.outbox_messages (id, message_type, body, created_at, sent_at, attempts) VALUES
              (gen_random_uuid(), 'X', '{}', now() - interval '40 days', now() - interval '40 days', 1),
              (gen_random_uuid(), 'X', '{}', now() - interval '40 days', NULL, 9),
              (gen_random_uuid(), 'X', '{}', now(), now(), 1);
            INSERT INTO exchange.inbox_messages (message_id, consumer, message_type, received_at) VALUES
              (gen_random_uuid(), 'C', 'X', now() - interval '60 days'),
              (gen_random_uuid(), 'C', 'X', now());
            SELECT 0;
            """);

        // The retention job runs once at start, then every Outbox:Retention:Interval.
        await using var restarted = new ServiceFactory<ExchangeServiceMarker>(_node);
        restarted.CreateClient().Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await Scalar("SELECT count(*) FROM exchange.outbox_messages") != 2 && DateTime.UtcNow < deadline) await Task.Delay(200);

        Assert.Equal(1, await Scalar("SELECT count(*) FROM exchange.outbox_messages WHERE sent_at IS NULL"));
        Assert.Equal(1, await Scalar("SELECT count(*) FROM exchange.outbox_messages WHERE sent_at IS NOT NULL"));
        Assert.Equal(1, await Scalar("SELECT count(*) FROM exchange.inbox_messages"));

        // The operator sees the stuck message and why it fails (its type is not a contract).
        using var admin = restarted.CreateClient().WithToken(TestTokens.Create(_node, "ops", Roles.Admin));
        var status = await admin.GetFromJsonAsync<JsonElement>("/admin/outbox");
        Assert.Equal(1, status.GetProperty("pending").GetInt32());
        var failing = status.GetProperty("failing")[0];
        Assert.Equal("X", failing.GetProperty("messageType").GetString());
        Assert.Contains("does not define", failing.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        using var researcher = restarted.CreateClient().WithToken(TestTokens.Create(_node, "r", Roles.Researcher));
        Assert.Equal(HttpStatusCode.Forbidden, (await researcher.GetAsync("/admin/outbox")).StatusCode);
    }

    [Fact]
    public async Task AnIdleRelayPollsAtItsIntervalInsteadOfSpinning()
    {
        await using var exchange = new ServiceFactory<ExchangeServiceMarker>(_node);
        exchange.CreateClient().Dispose();
        await Task.Delay(1000);

        long polls = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MedImaging.ServiceDefaults.Messaging.OutboxMetrics.MeterName && instrument.Name == "medimaging.outbox.polls")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            // Other test classes run hosts in this process too: count this service's relay only.
            foreach (var tag in tags)
                if (tag.Key == "context" && (string?)tag.Value == "ExchangeDbContext") Interlocked.Add(ref polls, value);
        });
        listener.Start();
        await Task.Delay(4000);
        listener.Dispose();

        // The test node polls every 200 ms: about 20 reads in 4 s. A relay woken by its own commits reads thousands.
        Assert.InRange(Interlocked.Read(ref polls), 5, 60);
    }
}
