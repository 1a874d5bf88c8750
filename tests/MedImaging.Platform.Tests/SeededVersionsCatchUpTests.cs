using System.Text.Json.Nodes;
using MedImaging.Directory;
using MedImaging.Metadata;
using MedImaging.Registration;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Platform.Tests;

/// <summary>
/// A fresh node: the metadata set versions Metadata seeds reach Registration's <c>/metadata-sets/active</c> and
/// Directory's <c>/schema-versions</c> — through their queues when they run as Metadata seeds, and by asking at start when
/// they start after the announcement has gone (ADR 0017).
/// </summary>
public sealed class SeededVersionsCatchUpTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static readonly string[] Seeded = ["basic-metadata", "dicom-imaging"];

    [Fact]
    public async Task ConsumersRunningWhenMetadataSeedsListTheSeededVersions()
    {
        await using var registration = new ServiceFactory<RegistrationServiceMarker>(_node);
        await using var directory = new ServiceFactory<DirectoryServiceMarker>(_node);
        registration.CreateClient().Dispose(); // queues bound before anything is announced
        directory.CreateClient().Dispose();

        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        metadata.CreateClient().Dispose(); // seeds and announces

        await AssertListedAsync(registration, directory);
    }

    [Fact]
    public async Task ServicesStartedAfterTheAnnouncementWasPublishedCatchUp()
    {
        await using var metadata = new ServiceFactory<MetadataServiceMarker>(_node);
        metadata.CreateClient().Dispose();
        // The announcements have left Metadata while neither consumer's queue existed: the broker kept nothing for them.
        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM metadata.outbox_messages WHERE message_type LIKE '%MetadataSetVersionActivated' AND sent_at IS NOT NULL") == 2,
            "Metadata published the seeded versions");

        await using var registration = new ServiceFactory<RegistrationServiceMarker>(_node);
        await using var directory = new ServiceFactory<DirectoryServiceMarker>(_node);
        registration.CreateClient().Dispose();
        directory.CreateClient().Dispose();

        await AssertListedAsync(registration, directory);
        // Announced again on request, recorded once: one row per version however often it is announced.
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM directory.schema_versions"));
    }

    private async Task AssertListedAsync(ServiceFactory<RegistrationServiceMarker> registration, ServiceFactory<DirectoryServiceMarker> directory)
    {
        var cataloguer = registration.CreateClient().WithToken(TestTokens.Create(_node, "cat", Roles.Cataloguer));
        var researcher = directory.CreateClient().WithToken(TestTokens.Create(_node, "res", Roles.Researcher));
        async Task<List<string>> Codes(HttpClient client, string path)
            => [.. JsonNode.Parse(await client.GetStringAsync(path))!["items"]!.AsArray().Select(v => v!["setCode"]!.ToString()).Order(StringComparer.Ordinal)];
        await WaitUntilAsync(async () => (await Codes(cataloguer, "/metadata-sets/active")).SequenceEqual(Seeded)
                                      && (await Codes(researcher, "/schema-versions")).SequenceEqual(Seeded), "both list the seeded versions");
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
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        Assert.Fail($"Timed out waiting until {what}.");
    }
}
