using System.Diagnostics;
using MedImaging.Contracts.Audit;
using Npgsql;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// The canonical form is defined precisely enough to be recomputed elsewhere: outside_verifier.py, written from ADR 0020
/// alone in Python's standard library, agrees with the service on a real chain — clean, and broken at the changed row.
/// </summary>
public sealed class OutsideVerifierTests : IAsyncLifetime
{
    private AuditNode _node = null!;

    public async Task InitializeAsync()
    {
        _node = await AuditNode.CreateAsync();
        var events = _node.Events(8).ToList();
        // What makes encodings differ: keys whose UTF-16 and UTF-8 orders disagree, CJK, absent values, no roles.
        events.Add(_node.Event(9) with
        {
            Actor = new AuditActor { SubjectId = "svc-registration" },
            Resource = null,
            Outcome = AuditOutcome.Failed("原因：超时"),
            Details = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1", ["\uFF5E"] = "full-width", ["😀"] = "astral", ["空"] = "" },
        });
        Assert.Equal(9, await AuditNode.AppendAsync(_node.Exchange().Services, events));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task APythonVerifierWrittenFromTheAdrAgreesOnACleanChain() =>
        Assert.Equal("ok 9", await RunOutsideVerifierAsync());

    [Fact]
    public async Task APythonVerifierWrittenFromTheAdrNamesTheSameChangedRow()
    {
        await _node.TamperAsync("""UPDATE exchange.audit_records SET details = details || '{"a": "3"}' WHERE sequence = 9""");
        Assert.Equal("broken 9 content-changed", await RunOutsideVerifierAsync());
    }

    private async Task<string> RunOutsideVerifierAsync()
    {
        var lines = new List<string>();
        await using (var conn = new NpgsqlConnection(_node.Node.PostgresConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT row_to_json(r)::text FROM exchange.audit_records r ORDER BY sequence", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        }
        var start = new ProcessStartInfo("python3", [Path.Combine(AppContext.BaseDirectory, "outside_verifier.py")])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            // The rows are UTF-8 whatever the machine's locale.
            Environment = { ["PYTHONUTF8"] = "1" },
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(string.Join('\n', lines));
        process.StandardInput.Close();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(stderr.Length == 0, stderr);
        return stdout.Trim();
    }
}
