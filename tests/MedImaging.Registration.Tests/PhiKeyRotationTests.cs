using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedImaging.Registration.Infrastructure;
using MedImaging.Registration.Privacy;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Key rotation of the PHI vault (ADR 0010): PHI stored under key A, then B made active with A kept; the admin rotation
/// re-seals every row under B, each opens to the same PHI, a second run has nothing to do, and A is then removable.
/// </summary>
public sealed class PhiKeyRotationTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private const string KeyA = "vault-2025a";
    private const string KeyB = "vault-2026b";
    private static readonly string SecretA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string SecretB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private WebApplicationFactory<RegistrationServiceMarker> HostUnderA() => node.WithSettings(new Dictionary<string, string?>
    {
        [$"Registration:PhiVault:Keys:{KeyA}"] = SecretA, ["Registration:PhiVault:ActiveKeyId"] = KeyA,
    });

    // B is active; A stays configured until no row names it.
    private WebApplicationFactory<RegistrationServiceMarker> HostUnderB() => node.WithSettings(new Dictionary<string, string?>
    {
        [$"Registration:PhiVault:Keys:{KeyA}"] = SecretA, [$"Registration:PhiVault:Keys:{KeyB}"] = SecretB, ["Registration:PhiVault:ActiveKeyId"] = KeyB,
    });

    private HttpClient Admin(WebApplicationFactory<RegistrationServiceMarker> host) => host.CreateClient().WithToken(TestTokens.Create(node.Node, "admin-1", Roles.Admin));

    private static async Task<Dictionary<Guid, (string KeyId, byte[] Ciphertext, string Phi)>> OpenAllAsync(WebApplicationFactory<RegistrationServiceMarker> host)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var vault = scope.ServiceProvider.GetRequiredService<PhiVault>();
        return (await db.PhiRecords.AsNoTracking().ToListAsync())
            .ToDictionary(r => r.Id, r => (r.KeyId, r.Ciphertext, JsonSerializer.Serialize(new SortedDictionary<string, string[]>(vault.Open(r).ToDictionary(), StringComparer.Ordinal))));
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(HttpClient client, string url)
    {
        var response = await client.PostAsync(url, null);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static JsonNode Key(JsonNode status, string keyId) => status["keys"]!.AsArray().Single(k => k!["keyId"]!.ToString() == keyId)!;

    [Fact]
    public async Task RotationResealsEveryRowUnderTheActiveKeyAndEachOpensToTheSamePhi()
    {
        await using var hostA = HostUnderA();
        var stow = await hostA.CreateClient().WithToken(TestTokens.Create(node.Node, "pacs-a", Roles.Adapter)).PostAsync("/dicomweb/studies",
            Stow.Content(Corpus.Bytes("CT_small.dcm"), Corpus.Bytes("MR_small.dcm"), Corpus.Bytes("rtplan.dcm"), Corpus.Bytes("charset_files/chrH31.dcm")));
        Assert.True(stow.IsSuccessStatusCode, await stow.Content.ReadAsStringAsync());
        var before = await OpenAllAsync(hostA);
        Assert.True(before.Count >= 3, $"{before.Count} vault rows");
        Assert.All(before.Values, r => Assert.Equal(KeyA, r.KeyId));
        Assert.Contains(before.Values, r => r.Phi.Contains("Yamada^Tarou", StringComparison.Ordinal));

        await using var hostB = HostUnderB();
        var admin = Admin(hostB);
        var status = JsonNode.Parse(await admin.GetStringAsync("/admin/phi-vault/keys"))!;
        Assert.Equal(before.Count, (long)Key(status, KeyA)["rows"]!);
        Assert.Equal(before.Count, (long)status["rowsToReseal"]!);
        Assert.False((bool)Key(status, KeyA)["removable"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await hostB.CreateClient().WithToken(TestTokens.Create(node.Node, "cat-1", Roles.Cataloguer))
            .PostAsync("/admin/phi-vault/rotation", null)).StatusCode);

        // Pages of two rows: several transactions, each its own commit.
        var (code, run) = await PostAsync(admin, "/admin/phi-vault/rotation?pageSize=2");
        Assert.True(code == HttpStatusCode.OK, run.ToJsonString());
        Assert.Equal(before.Count, (long)run["resealed"]!);
        Assert.True((int)run["pages"]! >= 2, run.ToJsonString());
        Assert.True((bool)run["done"]!);

        var after = await OpenAllAsync(hostB);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (id, row) in after)
        {
            Assert.Equal(KeyB, row.KeyId);
            Assert.Equal(before[id].Phi, row.Phi);
            Assert.NotEqual(before[id].Ciphertext, row.Ciphertext);
        }

        var (againCode, again) = await PostAsync(admin, "/admin/phi-vault/rotation");
        Assert.True(againCode == HttpStatusCode.OK, again.ToJsonString());
        Assert.Equal(0, (long)again["resealed"]!);
        Assert.Equal(0, (int)again["pages"]!);
        status = JsonNode.Parse(await admin.GetStringAsync("/admin/phi-vault/keys"))!;
        Assert.Equal(0, (long)Key(status, KeyA)["rows"]!);
        Assert.True((bool)Key(status, KeyA)["removable"]!);
        Assert.Equal(before.Count, (long)Key(status, KeyB)["rows"]!);
        Assert.True((bool)Key(status, KeyB)["active"]!);
    }

    [Fact]
    public async Task ARowUnderAKeyNotConfiguredIsReportedByKeyIdAndLeftAsItIs()
    {
        var id = Guid.CreateVersion7();
        var ciphertext = RandomNumberGenerator.GetBytes(40);
        await node.CountAsync("""
            WITH i AS (INSERT INTO registration.phi_vault (id, digest, key_id, nonce, tag, ciphertext, created_at)
                       VALUES ($1, $2, 'retired-2019', $3, $4, $5, now()) RETURNING 1) SELECT count(*) FROM i
            """, id, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), RandomNumberGenerator.GetBytes(12), RandomNumberGenerator.GetBytes(16), ciphertext);
        try
        {
            await using var hostB = HostUnderB();
            var admin = Admin(hostB);
            var (code, problem) = await PostAsync(admin, "/admin/phi-vault/rotation");

            Assert.True(code == HttpStatusCode.Conflict, problem.ToJsonString());
            Assert.Contains("'retired-2019'", problem["detail"]!.ToString(), StringComparison.Ordinal);
            Assert.NotNull(problem["errors"]!["Registration:PhiVault:Keys:retired-2019"]);
            Assert.Equal("retired-2019", (string?)await node.ScalarAsync("SELECT key_id FROM registration.phi_vault WHERE id = $1", id));
            Assert.Equal(ciphertext, (byte[]?)await node.ScalarAsync("SELECT ciphertext FROM registration.phi_vault WHERE id = $1", id));

            var status = JsonNode.Parse(await admin.GetStringAsync("/admin/phi-vault/keys"))!;
            Assert.False((bool)Key(status, "retired-2019")["configured"]!);
            Assert.Equal(1, (long)Key(status, "retired-2019")["rows"]!);
        }
        finally
        {
            await node.CountAsync("WITH d AS (DELETE FROM registration.phi_vault WHERE id = $1 RETURNING 1) SELECT count(*) FROM d", id);
        }
    }
}
