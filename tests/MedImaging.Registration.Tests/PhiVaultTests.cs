using System.Diagnostics;
using System.Text;
using MedImaging.Registration.Privacy;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Registration.Tests;

/// <summary>PHI is split at the door (§3.3.1): the catalogue tables hold none of it, the vault holds it encrypted.</summary>
public sealed class PhiVaultTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    // Names and identifiers as pydicom reads them from the corpus files pushed below.
    private static readonly string[] Identifying =
    [
        "CompressedSamples", "1CT1", "4MR1", "Last^First", "id00001", "Yamada", "山田", "やまだ", "H31EXAMPLE", "XiaoDong", "小東", "X1EXAMPLE",
    ];

    private async Task PushCorpusAsync()
    {
        var client = node.Client("pacs-a", Roles.Adapter);
        var stow = await client.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("CT_small.dcm"), Corpus.Bytes("MR_small.dcm"),
            Corpus.Bytes("rtplan.dcm"), Corpus.Bytes("charset_files/chrH31.dcm")));
        Assert.True(stow.IsSuccessStatusCode);
        var json = MedImaging.Dicom.DicomJsonWriter.Serialize(MedImaging.Dicom.DicomFile.Open(Corpus.Path("charset_files/chrX1.dcm")).Dataset);
        var push = await client.PostAsync("/instances/json", new StringContent(json, Encoding.UTF8, "application/dicom+json"));
        Assert.True(push.IsSuccessStatusCode);
    }

    [Fact]
    public async Task NoCatalogueTableHoldsAPatientNameOrIdentifier()
    {
        await PushCorpusAsync();
        var columns = await node.StringsAsync("""
            SELECT format('SELECT %I::text FROM registration.%I', column_name, table_name) FROM information_schema.columns
            WHERE table_schema = 'registration' AND table_name <> 'phi_vault'
              AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
            """);
        Assert.Contains(columns, c => c.Contains("instance_versions", StringComparison.Ordinal) && c.Contains("metadata", StringComparison.Ordinal));

        var scanned = 0;
        foreach (var select in columns)
            foreach (var value in await node.StringsAsync(select))
            {
                scanned++;
                // PostgreSQL prints jsonb text as UTF-8, unescaped: 山田 is searchable as written.
                foreach (var phi in Identifying)
                    Assert.False(value.Contains(phi, StringComparison.OrdinalIgnoreCase), $"'{phi}' found by {select}");
            }
        Assert.True(scanned > 20, $"only {scanned} values scanned");
    }

    [Fact]
    public async Task TheVaultHoldsThePhiEncryptedAndOpensItWithTheRowsKey()
    {
        await PushCorpusAsync();
        using var scope = node.Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MedImaging.Registration.Infrastructure.RegistrationDbContext>();
        var vault = scope.ServiceProvider.GetRequiredService<PhiVault>();
        var rows = await db.PhiRecords.AsNoTracking().ToListAsync();

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.DoesNotContain("CompressedSamples", Encoding.UTF8.GetString(r.Ciphertext), StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Equal(12, r.Nonce.Length));
        var opened = rows.Select(vault.Open).ToList();
        Assert.Contains(opened, p => p.TryGetValue("00100010", out var name) && name[0] == "Yamada^Tarou=山田^太郎=やまだ^たろう");
        Assert.Contains(opened, p => p.TryGetValue("00100020", out var id) && id[0] == "1CT1");

        // A ciphertext moved to another row does not open: the row id is bound in.
        var moved = rows[0];
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => vault.Open(new MedImaging.Registration.Domain.PhiRecord
        {
            Id = Guid.NewGuid(), Digest = moved.Digest, KeyId = moved.KeyId, Nonce = moved.Nonce, Tag = moved.Tag, Ciphertext = moved.Ciphertext,
        }));
    }

    [Fact]
    public async Task OutsideDevelopmentMissingKeysStopTheHostWithOneLine()
    {
        var dll = typeof(RegistrationServiceMarker).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll, "--migrate"]) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var (key, value) in node.Node.Settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var line = (await stderr).Trim();
        Assert.Contains("Registration:PhiVault:Keys is not set", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }
}
