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
    // Names and identifiers as pydicom reads them from the corpus files pushed below, and those written into the free
    // text of the two DICOM JSON instances below (each name component, the IDs, the station and the device serial).
    private static readonly string[] Identifying =
    [
        "CompressedSamples", "1CT1", "4MR1", "Last^First", "id00001", "Yamada", "山田", "やまだ", "H31EXAMPLE", "XiaoDong", "小東", "X1EXAMPLE",
        "唐", "三藏", "TSZ0629", "ACC77120", "CT-ROOM-7F-EAST", "SN88231XYZ", "Sanzang", "Pilgrim", "PX-55821", "OLD-3391",
    ];

    private const string ChineseStudy = "1.2.826.0.1.3680043.10.1234.3001";

    // A CT pushed as DICOM JSON by a PACS that writes the patient into every free-text field (issue 10's example).
    private const string Chinese = $$"""
        {
          "00080016": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"]}, "00080018": {"vr": "UI", "Value": ["{{ChineseStudy}}.1.1"]},
          "00080020": {"vr": "DA", "Value": ["20240312"]}, "00080050": {"vr": "SH", "Value": ["ACC77120"]},
          "00080060": {"vr": "CS", "Value": ["CT"]}, "00081010": {"vr": "SH", "Value": ["CT-ROOM-7F-EAST"]},
          "00081030": {"vr": "LO", "Value": ["唐三藏 胸部CT"]}, "0008103E": {"vr": "LO", "Value": ["三藏 胸部平扫 TSZ0629"]},
          "00100010": {"vr": "PN", "Value": [{"Alphabetic": "唐^三藏"}]}, "00100020": {"vr": "LO", "Value": ["TSZ0629"]},
          "00181000": {"vr": "LO", "Value": ["SN88231XYZ"]}, "00180015": {"vr": "CS", "Value": ["CHEST"]},
          "0020000D": {"vr": "UI", "Value": ["{{ChineseStudy}}"]}, "0020000E": {"vr": "UI", "Value": ["{{ChineseStudy}}.1"]},
          "00204000": {"vr": "LT", "Value": ["病历号 TSZ0629，复查"]}, "00324000": {"vr": "LT", "Value": ["唐 三藏 家属要求加急"]}
        }
        """;

    // A text SR in English: the name in Western order, with a comma, in the SR's own text; an other patient ID.
    private const string English = """
        {
          "00080016": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.88.11"]}, "00080018": {"vr": "UI", "Value": ["1.2.826.0.1.3680043.10.1234.3002.1.1"]},
          "00080060": {"vr": "CS", "Value": ["SR"]}, "00081030": {"vr": "LO", "Value": ["Chest CT report for Sanzang Pilgrim"]},
          "0008103E": {"vr": "LO", "Value": ["PILGRIM, SANZANG follow-up"]}, "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Pilgrim^Sanzang"}]},
          "00100020": {"vr": "LO", "Value": ["PX-55821"]}, "00101000": {"vr": "LO", "Value": ["OLD-3391"]},
          "0020000D": {"vr": "UI", "Value": ["1.2.826.0.1.3680043.10.1234.3002"]}, "0020000E": {"vr": "UI", "Value": ["1.2.826.0.1.3680043.10.1234.3002.1"]},
          "0040A040": {"vr": "CS", "Value": ["CONTAINER"]},
          "0040A730": {"vr": "SQ", "Value": [{
            "0040A040": {"vr": "CS", "Value": ["TEXT"]},
            "0040A160": {"vr": "UT", "Value": ["Mr Sanzang Pilgrim (PX-55821, formerly OLD-3391) reports a cough; Pilgrim was seen before."]}
          }]}
        }
        """;

    private async Task PushCorpusAsync()
    {
        var client = node.Client("pacs-a", Roles.Adapter);
        var stow = await client.PostAsync("/dicomweb/studies", Stow.Content(Corpus.Bytes("CT_small.dcm"), Corpus.Bytes("MR_small.dcm"),
            Corpus.Bytes("rtplan.dcm"), Corpus.Bytes("charset_files/chrH31.dcm")));
        Assert.True(stow.IsSuccessStatusCode);
        var json = MedImaging.Dicom.DicomJsonWriter.Serialize(MedImaging.Dicom.DicomFile.Open(Corpus.Path("charset_files/chrX1.dcm")).Dataset);
        var push = await client.PostAsync("/instances/json", new StringContent($"[{json},{Chinese},{English}]", Encoding.UTF8, "application/dicom+json"));
        Assert.True(push.StatusCode == System.Net.HttpStatusCode.OK, await push.Content.ReadAsStringAsync());
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
    public async Task TheTitleKeepsTheDescriptionWithoutTheNameAndEachInstanceRecordsTheProfile()
    {
        await PushCorpusAsync();
        var title = (string)(await node.ScalarAsync("""
            SELECT r.title FROM registration.resources r JOIN registration.studies s ON s.id = r.study_id WHERE s.study_instance_uid = $1
            """, ChineseStudy))!;
        Assert.Contains("胸部", title, StringComparison.Ordinal); // "胸部CT" only repeats modality and body part, so the title keeps those
        Assert.DoesNotContain(DescriptorCleaner.Marker, title, StringComparison.Ordinal); // the marker stays in the description element, not the title
        Assert.DoesNotContain("三藏", title, StringComparison.Ordinal);

        // PS3.15 E.1.1: (0012,0062) YES and the CID 7050 codes of the profile and its options, on every instance kept.
        var records = await node.StringsAsync("""
            SELECT metadata::text FROM registration.instance_versions
            WHERE NOT (metadata @> '{"00120062": {"Value": ["YES"]}}'
                   AND metadata @> '{"00120064": {"Value": [{"00080100": {"Value": ["113100"]}, "00080102": {"Value": ["DCM"]}}]}}'
                   AND metadata @> '{"00120064": {"Value": [{"00080100": {"Value": ["113105"]}, "00080102": {"Value": ["DCM"]}}]}}')
            """);
        Assert.Empty(records);
        Assert.True(await node.CountAsync("SELECT count(*) FROM registration.instance_versions") >= 7);
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
        // Removed and cleaned free text: the originals are in the vault, only there.
        Assert.Contains(opened, p => p.TryGetValue("00081030", out var d) && d[0] == "唐三藏 胸部CT" && p["00081010"][0] == "CT-ROOM-7F-EAST"
            && p["00181000"][0] == "SN88231XYZ" && p["00324000"][0] == "唐 三藏 家属要求加急");
        Assert.Contains(opened, p => p.TryGetValue("0040A730[0]/0040A160", out var text) && text[0].StartsWith("Mr Sanzang Pilgrim", StringComparison.Ordinal));

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
        foreach (var (key, value) in node.Node.SettingsFor("registration")) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
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
