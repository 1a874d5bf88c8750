using MedImaging.Registration.Infrastructure;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MedImaging.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace MedImaging.Registration.Tests;

/// <summary>Entries stored before the classification and institution columns existed get them from their JSON values.</summary>
public sealed class EntryColumnsMigrationTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private const string Before = "20261128202413_StudyContrastAndInstitutionAsSent";

    [Fact]
    public async Task TheMigrationFillsTheColumnsOfExistingEntriesFromTheirValues()
    {
        // As the migration step does it: with the administrative connection (the host's own role may not alter its schema).
        var options = new DbContextOptionsBuilder<RegistrationDbContext>();
        options.UseServiceDatabase(node.Node.PostgresConnectionString, RegistrationDbContext.Schema);
        await using var db = new RegistrationDbContext(options.Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Before);
        Assert.Equal(0, await node.CountAsync("""
            SELECT count(*) FROM information_schema.columns WHERE table_schema = 'registration' AND table_name = 'resources'
            AND column_name IN ('security_classification', 'institution')
            """));
        var (valued, bare) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        const string insert = """
            INSERT INTO registration.resources (id, kind, state, record_version, title, values, problems, created_at, updated_at)
            VALUES ($1, 'Dataset', 'Catalogued', 1, 'old entry', $2::jsonb, '[]'::jsonb, now(), now())
            """;
        await node.ScalarAsync(insert, valued, $$"""
            [{"element":"organizationCode","value":"{{ClearanceNode.A}}","source":"auto","rule":"registry"},
             {"element":"resourceTitle","value":"old entry","source":"manual","rule":"entered"},
             {"element":"securityClassification","value":"restricted","source":"manual","rule":"entered"}]
            """);
        await node.ScalarAsync(insert, bare, "[]");

        await migrator.MigrateAsync();

        Assert.Equal("restricted", await node.ScalarAsync("SELECT security_classification FROM registration.resources WHERE id = $1", valued));
        Assert.Equal(ClearanceNode.A, await node.ScalarAsync("SELECT institution FROM registration.resources WHERE id = $1", valued));
        Assert.Equal(DBNull.Value, await node.ScalarAsync("SELECT security_classification FROM registration.resources WHERE id = $1", bare));
        Assert.Equal(DBNull.Value, await node.ScalarAsync("SELECT institution FROM registration.resources WHERE id = $1", bare));
    }
}
