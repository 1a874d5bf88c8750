using System.Net.Http.Json;
using MedImaging.Directory;
using MedImaging.Metadata;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Platform.Tests;

/// <summary>
/// The first real flow: Metadata activates a set version; the event leaves through Metadata's outbox, crosses the real
/// RabbitMQ, and Registration and Directory each record it once — even when a consumer fails once and the relay dies
/// between publishing and marking the message sent.
/// </summary>
public sealed class OutboxExactlyOnceTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ActivatedVersionIsRecordedOnceByEachConsumerDespiteAFailureAndARelayRestart()
    {
        await using var registration = new ServiceFactory<RegistrationServiceMarker>(_node);
        await using var directory = new ServiceFactory<DirectoryServiceMarker>(_node);
        registration.CreateClient().Dispose(); // start: migrate, bind queues
        directory.CreateClient().Dispose();

        // The directory's first attempt to record the version fails inside PostgreSQL: a real error, rolled back,
        // that MassTransit's retry must recover from.
        // A sequence is outside transactions, so it counts attempts even though each failure rolls back.
        // Created as the schema's owner role, as a migration would: the service's run-time role may use what it creates.
        await ExecuteAsync($$"""
            SET ROLE "{{_node.Database}}_directory_owner";
            CREATE SEQUENCE directory.attempts;
            CREATE FUNCTION directory.fail_first_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('directory.attempts') = 1 THEN RAISE EXCEPTION 'injected failure'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER fail_first_attempt BEFORE INSERT ON directory.schema_versions
              FOR EACH ROW EXECUTE FUNCTION directory.fail_first_attempt();
            """);

        var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        var api = metadata.CreateClient().WithToken(TestTokens.Create(_node, "meta-admin", Roles.Admin));
        (await api.PostAsJsonAsync("/sets", new { code = "basic", nameZh = "医学影像学基本元数据", nameEn = "Basic metadata" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/sets/basic/versions", new { changeNote = "first" })).EnsureSuccessStatusCode();
        var activated = await api.PostAsync("/sets/basic/versions/1/activate", null);
        Assert.True(activated.IsSuccessStatusCode, await activated.Content.ReadAsStringAsync());

        // Metadata also announces the versions it seeds (ADR 0017): the checks name the set of this test.
        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM directory.schema_versions WHERE set_code = 'basic'") == 1
                                      && await CountAsync("SELECT count(*) FROM registration.active_metadata_sets WHERE set_code = 'basic'") == 1, "both consumers recorded the version");
        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM directory.schema_versions") == 3, "the seeded versions are recorded too");
        // The first insert failed once, then each version was recorded by one attempt.
        Assert.Equal(1 + 3, await CountAsync("SELECT last_value FROM directory.attempts"));

        // The relay "crashes" after publishing but before marking: the row is unsent again, and Metadata restarts.
        await metadata.DisposeAsync();
        await ExecuteAsync("UPDATE metadata.outbox_messages SET sent_at = NULL");
        await using var restarted = new ServiceFactory<MetadataServiceMarker>(_node);
        restarted.CreateClient().Dispose();
        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM metadata.outbox_messages WHERE sent_at IS NULL") == 0, "the restarted relay republished");
        // Give the duplicate time to arrive at both consumers, then check it changed nothing.
        // The audit records of the same changes share the outbox; the activations are what these consumers receive.
        var published = await CountAsync("SELECT count(*) FROM metadata.outbox_messages WHERE message_type = 'MedImaging.Contracts.Metadata.MetadataSetVersionActivated'");
        Assert.Equal(3, published); // basic, and the two seeded versions; the restart announced nothing new
        await WaitUntilAsync(async () => await QueueDrainedAsync(published), "the duplicates were consumed");

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM directory.schema_versions WHERE set_code = 'basic'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM registration.active_metadata_sets WHERE set_code = 'basic' AND version = 1"));
        Assert.Equal(published, await CountAsync("SELECT count(*) FROM directory.inbox_messages WHERE message_type LIKE '%MetadataSetVersionActivated'"));
        Assert.Equal(published, await CountAsync("SELECT count(*) FROM registration.inbox_messages WHERE message_type LIKE '%MetadataSetVersionActivated'"));
    }

    [Fact]
    public async Task ActivationAndItsEventCommitTogetherOrNotAtAll()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        var api = metadata.CreateClient().WithToken(TestTokens.Create(_node, "meta-admin", Roles.Admin));
        (await api.PostAsJsonAsync("/sets", new { code = "ext", nameZh = "扩展", nameEn = "Extension" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/sets/ext/versions", new { changeNote = "v1" })).EnsureSuccessStatusCode();
        // Make the outbox insert fail: the activation must roll back with it.
        await ExecuteAsync("ALTER TABLE metadata.outbox_messages ADD CONSTRAINT no_events CHECK (false) NOT VALID");

        var response = await api.PostAsync("/sets/ext/versions/1/activate", null);

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(0, await CountAsync(
            "SELECT count(*) FROM metadata.metadata_set_versions WHERE status = 'Active' AND metadata_set_id = (SELECT id FROM metadata.metadata_sets WHERE code = 'ext')"));
    }

    [Fact]
    public async Task APoisonMessageIsSetAsideWithoutBlockingTheEventsBehindIt()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        var api = metadata.CreateClient().WithToken(TestTokens.Create(_node, "meta-admin", Roles.Admin));
        // An event whose contract no longer exists (renamed type): it can never be published.
        await ExecuteAsync("INSERT INTO metadata.outbox_messages (id, message_type, body, created_at, attempts) VALUES (gen_random_uuid(), 'MedImaging.Contracts.Gone', '{}', now(), 0)");
        (await api.PostAsJsonAsync("/sets", new { code = "after", nameZh = "其后", nameEn = "After" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/sets/after/versions", new { changeNote = "v1" })).EnsureSuccessStatusCode();
        (await api.PostAsync("/sets/after/versions/1/activate", null)).EnsureSuccessStatusCode();

        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM metadata.outbox_messages WHERE message_type LIKE '%MetadataSetVersionActivated' AND body->>'setCode' = 'after' AND sent_at IS NOT NULL") == 1,
            "the activation behind the poison message was published");
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM metadata.outbox_messages WHERE message_type = 'MedImaging.Contracts.Gone' AND sent_at IS NULL AND attempts > 0"));
    }

    // Every queue of the node is empty and has acknowledged both deliveries of each message (the original and the republished one).
    private async Task<bool> QueueDrainedAsync(long messages)
    {
        var queues = await _node.GetQueuesAsync();
        var consumers = queues.Where(q => q["name"]!.GetValue<string>().EndsWith("metadata-set-version-activated", StringComparison.Ordinal)).ToList();
        return consumers.Count == 2 && consumers.All(q =>
            q["messages"]?.GetValue<long>() == 0 && (q["message_stats"]?["ack"]?.GetValue<long>() ?? 0) >= 2 * messages);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        Assert.Fail($"Timed out waiting until {what}.");
    }
}
