using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Metadata.Tests;

/// <summary>
/// The seeded metadata set versions are announced like any activation (MetadataSetVersionActivated through the outbox),
/// once: a second start of the host publishes nothing new, and a node seeded before announcements existed announces once.
/// A seed mapping nobody edited follows the seed file. Each test on a node of its own, since it restarts the host.
/// </summary>
public sealed class SeededVersionsAnnouncementTests : IAsyncLifetime
{
    private NodeTestEnvironment _node = null!;

    public async Task InitializeAsync() => _node = await NodeTestEnvironment.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private const string Announcements = "FROM metadata.outbox_messages WHERE message_type = 'MedImaging.Contracts.Metadata.MetadataSetVersionActivated'";

    // The seed's own audit records (actor "seed"): what it changed, once.
    private const string SeedAudits = "FROM metadata.outbox_messages WHERE message_type = 'MedImaging.Contracts.Audit.AuditEventRecorded' AND body->'actor'->>'subjectId' = 'seed'";

    private async Task StartAsync()
    {
        await using var host = new ServiceFactory<MetadataServiceMarker>(_node);
        host.CreateClient().Dispose(); // migrate, seed, announce
    }

    [Fact]
    public async Task TheSeededVersionsAreAnnouncedOnceAndASecondStartAnnouncesNothing()
    {
        await StartAsync();
        Assert.Equal(["basic-metadata:1", "dicom-imaging:1"], await StringsAsync($"SELECT body->>'setCode' || ':' || (body->>'version') {Announcements} ORDER BY 1"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM metadata.provenance WHERE action = 'announced'"));
        var audited = await StringsAsync($"SELECT (body->>'action') || ' ' || (body->'resource'->>'kind') || ' ' || (body->'resource'->>'identifier') || ' ' || (body->'details'->>'change') {SeedAudits} ORDER BY 1");
        Assert.Equal(["classification-change classification-scheme imaging seeded", "metadata-schema-change metadata-set-version basic-metadata/v1 seeded",
            "metadata-schema-change metadata-set-version dicom-imaging/v1 seeded"], audited);

        await StartAsync();

        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) {Announcements}"));
        Assert.Equal(3L, await ScalarAsync($"SELECT count(*) {SeedAudits}"));
    }

    [Fact]
    public async Task ANodeSeededBeforeSeedingAnnouncedAnnouncesItsActiveVersionsOnce()
    {
        await StartAsync();
        // As a node seeded by the previous release left it: active versions, no announcement, no record of one.
        await ScalarAsync($"DELETE {Announcements}");
        await ScalarAsync("DELETE FROM metadata.provenance WHERE action = 'announced'");

        await StartAsync();
        await StartAsync();

        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) {Announcements}"));
    }

    [Fact]
    public async Task AnUntouchedSeedMappingFollowsTheSeedFileAndAnEditedOneStays()
    {
        await StartAsync();
        var seeded = (long)(await ScalarAsync("SELECT count(*) FROM metadata.dicom_classification_rules"))!;
        // As an older seed file left it: without the 细目 rules.
        await ScalarAsync("DELETE FROM metadata.dicom_classification_rules WHERE level = 'Detail'");

        await StartAsync();

        Assert.Equal(seeded, await ScalarAsync("SELECT count(*) FROM metadata.dicom_classification_rules"));
        Assert.Equal(2, await ScalarAsync("SELECT revision FROM metadata.classification_schemes"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM metadata.outbox_messages WHERE message_type = 'MedImaging.Contracts.Metadata.ClassificationSchemeChanged'"));
        Assert.Equal(["2"], await StringsAsync($"SELECT body->'details'->>'revision' {SeedAudits} AND body->'details'->>'change' = 'mapping-reseeded'"));

        // An administrator's edit makes the mapping theirs: a later start leaves it as they left it.
        await ScalarAsync("UPDATE metadata.classification_scheme_revisions SET created_by = 'meta-admin' WHERE revision = 2");
        await ScalarAsync("DELETE FROM metadata.dicom_classification_rules WHERE level = 'Detail'");
        await StartAsync();
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM metadata.dicom_classification_rules WHERE level = 'Detail'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) {SeedAudits} AND body->'details'->>'change' = 'mapping-reseeded'"));
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    private async Task<List<string>> StringsAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync()) list.Add(reader.GetString(0));
        return list;
    }
}
