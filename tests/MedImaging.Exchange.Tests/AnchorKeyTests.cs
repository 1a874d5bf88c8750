using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.Exchange.Audit;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// The audit key: its public half at GET /audit/keys verifies the anchors in the database with nothing but the standard
/// algorithms (ES256 over the documented anchor form), the key id is the RFC 7638 thumbprint, and anchors come every N
/// rows and, while rows arrive, every interval.
/// </summary>
public sealed class AnchorKeyTests : IAsyncLifetime
{
    private AuditNode _node = null!;

    public async Task InitializeAsync() => _node = await AuditNode.CreateAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ThePublishedPublicKeyVerifiesTheStoredAnchorsAndItsIdIsTheJwkThumbprint()
    {
        var exchange = _node.Exchange();
        await AuditNode.AppendAsync(exchange.Services, _node.Events(10));
        var keys = (await exchange.CreateClient().WithToken(TestTokens.Create(_node.Node, "reg", Roles.Regulator))
            .GetFromJsonAsync<JsonNode>("/audit/keys"))!;

        var key = keys["keys"]!.AsArray().Single()!;
        var jwk = key["jwk"]!;
        Assert.Equal("ES256", key["algorithm"]!.GetValue<string>());
        Assert.True(key["current"]!.GetValue<bool>());
        var thumbprint = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(
            $$"""{"crv":"P-256","kty":"EC","x":"{{jwk["x"]}}","y":"{{jwk["y"]}}"}""")));
        Assert.Equal(thumbprint, key["keyId"]!.GetValue<string>());
        Assert.Equal(thumbprint, jwk["kid"]!.GetValue<string>());

        // The PEM and the JWK are the same key, and it is the public half of the key file the host was given (generated here).
        using var fromPem = ECDsa.Create();
        fromPem.ImportFromPem(key["pem"]!.GetValue<string>());
        using var fromFile = ECDsa.Create();
        fromFile.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(_node.Node.Directory, $"{_node.NodeId}-audit.pem")));
        Assert.Equal(fromFile.ExportSubjectPublicKeyInfo(), fromPem.ExportSubjectPublicKeyInfo());

        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk["x"]!.GetValue<string>()), Y = Base64UrlEncoder.DecodeBytes(jwk["y"]!.GetValue<string>()) },
        });
        var anchors = await AnchorsAsync();
        Assert.Equal([5L, 10L], anchors.Select(a => a.Sequence));
        foreach (var a in anchors)
        {
            Assert.Equal(thumbprint, a.KeyId);
            var form = AnchorForm(_node.NodeId, a.Sequence, a.Hash, a.SignedAt, a.KeyId);
            Assert.True(verifier.VerifyData(form, a.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
            Assert.Equal(await RowHashAsync(a.Sequence), a.Hash);
        }
    }

    [Fact]
    public async Task WhileRowsArriveTheHeadIsAnchoredEveryIntervalEvenBelowTheRowCount()
    {
        var exchange = _node.Exchange(new Dictionary<string, string?> { ["Audit:AnchorEvery"] = "1000", ["Audit:AnchorInterval"] = "00:00:01" });
        await AuditNode.AppendAsync(exchange.Services, _node.Events(3));
        await AuditNode.WaitUntilAsync(async () => (await AnchorsAsync()).Any(a => a.Sequence == 3), "the head (row 3) was anchored");

        await AuditNode.AppendAsync(exchange.Services, _node.Events(2, from: 4));
        await AuditNode.WaitUntilAsync(async () => (await AnchorsAsync()).Any(a => a.Sequence == 5), "the new head (row 5) was anchored");

        // Nothing new: no anchor of the same head twice.
        Assert.Equal([3L, 5L], (await AnchorsAsync()).Select(a => a.Sequence));
    }

    [Theory]
    [InlineData("rsa", "cannot read the audit key")]
    [InlineData("missing-file", "cannot read the audit key")]
    [InlineData(null, "Audit:SigningKeyPath is not set")]
    public async Task OutsideDevelopmentAHostWithoutAUsableAuditKeyRefusesToStartWithOneLine(string? keyFile, string expected) =>
        await AssertRefusesAsync(new() { ["Audit__SigningKeyPath"] = await KeyFileAsync(keyFile), ["Federation__SigningKeyPath"] = await KeyFileAsync("ec") }, expected);

    [Theory]
    [InlineData("rsa", "cannot read the federation key")]
    [InlineData("missing-file", "cannot read the federation key")]
    [InlineData(null, "Federation:SigningKeyPath is not set")]
    public async Task OutsideDevelopmentAHostWithoutAUsableFederationKeyRefusesToStartWithOneLine(string? keyFile, string expected) =>
        await AssertRefusesAsync(new() { ["Audit__SigningKeyPath"] = await KeyFileAsync("ec"), ["Federation__SigningKeyPath"] = await KeyFileAsync(keyFile) }, expected);

    // A key file of the kind asked: "ec" a good P-256 key, "rsa" a key of the wrong kind, "missing-file" a path with nothing, null none.
    private async Task<string?> KeyFileAsync(string? kind)
    {
        if (kind is null) return null;
        var path = Path.Combine(_node.Node.Directory, $"{kind}-{Guid.NewGuid():N}.pem");
        if (kind == "rsa")
            using (var rsa = RSA.Create(2048)) await File.WriteAllTextAsync(path, rsa.ExportPkcs8PrivateKeyPem());
        if (kind == "ec")
            using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256)) await File.WriteAllTextAsync(path, ec.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private async Task AssertRefusesAsync(Dictionary<string, string?> keys, string expected)
    {
        var dll = typeof(ExchangeServiceMarker).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var (key, value) in _node.Node.Settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in keys)
            if (value is not null) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the host did not refuse to start; stdout:\n{await stdout}");
        }

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    // The anchor form as ADR 0020 writes it, built here without the service's code: length-prefixed UTF-8 fields.
    private static byte[] AnchorForm(string node, long sequence, byte[] hash, DateTimeOffset signedAt, string keyId)
    {
        var bytes = new List<byte>();
        void Field(byte[] b)
        {
            bytes.AddRange([(byte)(b.Length >> 24), (byte)(b.Length >> 16), (byte)(b.Length >> 8), (byte)b.Length]);
            bytes.AddRange(b);
        }
        void Text(string s) => Field(Encoding.UTF8.GetBytes(s));
        Text("medcat-audit-anchor/1");
        Text(node);
        Text(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(hash);
        Text(signedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        Text(keyId);
        return [.. bytes];
    }

    private async Task<List<AnchorRecord>> AnchorsAsync()
    {
        await using var conn = new NpgsqlConnection(_node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT sequence, hash, signed_at, node, key_id, algorithm, signature FROM exchange.audit_anchors ORDER BY sequence", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var list = new List<AnchorRecord>();
        while (await reader.ReadAsync())
            list.Add(new AnchorRecord
            {
                Sequence = reader.GetInt64(0), Hash = reader.GetFieldValue<byte[]>(1), SignedAt = reader.GetFieldValue<DateTimeOffset>(2),
                Node = reader.GetString(3), KeyId = reader.GetString(4), Algorithm = reader.GetString(5), Signature = reader.GetFieldValue<byte[]>(6),
            });
        return list;
    }

    private async Task<byte[]> RowHashAsync(long sequence)
    {
        await using var conn = new NpgsqlConnection(_node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT hash FROM exchange.audit_records WHERE sequence = $1", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = sequence });
        return (byte[])(await cmd.ExecuteScalarAsync())!;
    }
}
