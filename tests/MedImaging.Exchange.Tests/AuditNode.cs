using System.Globalization;
using MedImaging.Contracts.Audit;
using MedImaging.Exchange;
using MedImaging.Exchange.Audit;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// A test node with its Exchange host (the audit trail) on the real servers, and what the tests need around it: audit
/// events, direct SQL (as the superuser, as a DBA would), and waiting for the broker's deliveries.
/// </summary>
public sealed class AuditNode : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _hosts = [];

    private AuditNode(NodeTestEnvironment node) => Node = node;

    public NodeTestEnvironment Node { get; }
    public string NodeId => Node.Node["nodeId"]!.GetValue<string>();

    /// <summary>Anchors every 5 rows and, in practice, never by time (unless a test asks), verify pages of 4 rows.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["Audit:AnchorEvery"] = "5",
        ["Audit:AnchorInterval"] = "01:00:00",
        ["Audit:VerifyPageSize"] = "4",
    };

    public static async Task<AuditNode> CreateAsync() => new(await NodeTestEnvironment.CreateAsync());

    public ServiceFactory<ExchangeServiceMarker> Exchange(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var merged = new Dictionary<string, string?>(Defaults);
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) merged[k] = v;
        var host = new ServiceFactory<ExchangeServiceMarker>(Node, merged);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Another host of the node, disposed with it (before the node's database goes).</summary>
    public T Own<T>(T host) where T : IAsyncDisposable
    {
        _hosts.Add(host);
        return host;
    }

    /// <summary>Appends through the real appender of a running Exchange host (no broker in between).</summary>
    public static async Task<int> AppendAsync(IServiceProvider services, IReadOnlyList<AuditEventRecorded> events)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IChainAppender>().AppendAsync(events, CancellationToken.None);
    }

    public AuditEventRecorded Event(int n, string action = AuditActions.EntryRead) => new()
    {
        OriginNode = NodeId,
        Service = "directory",
        Actor = new AuditActor
        {
            SubjectId = $"user-{n}", DisplayName = $"用户 {n}", Roles = ["cataloguer", "reviewer"], ClientId = "portal", Node = NodeId,
            Institution = "121300004017055782", Clearance = "restricted",
        },
        Action = action,
        Resource = new AuditResource { Kind = "catalogue-entry", Id = Guid.NewGuid().ToString(), Identifier = $"2.16.156.10011.2.9.{n}", Classification = "restricted" },
        Outcome = AuditOutcome.Success,
        SourceAddress = "127.0.0.1",
        UserAgent = "tests",
        CorrelationId = $"corr-{n}",
        Details = new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture), ["说明"] = "读取" },
    };

    public IReadOnlyList<AuditEventRecorded> Events(int count, int from = 1) => [.. Enumerable.Range(from, count).Select(n => Event(n))];

    public async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<long> CountAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async Task<List<(long Sequence, Guid EventId)>> RowsAsync()
    {
        await using var conn = new NpgsqlConnection(Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT sequence, event_id FROM exchange.audit_records ORDER BY sequence", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(long, Guid)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetGuid(1)));
        return rows;
    }

    /// <summary>As a DBA with the superuser's rights: switch the append-only triggers off, change rows, switch them on.</summary>
    public Task TamperAsync(string sql) => ExecuteAsync($"""
        ALTER TABLE exchange.audit_records DISABLE TRIGGER audit_records_append_only;
        ALTER TABLE exchange.audit_anchors DISABLE TRIGGER audit_anchors_append_only;
        {sql};
        ALTER TABLE exchange.audit_records ENABLE ALWAYS TRIGGER audit_records_append_only;
        ALTER TABLE exchange.audit_anchors ENABLE ALWAYS TRIGGER audit_anchors_append_only;
        """);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        Assert.Fail($"Timed out waiting until {what}.");
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _hosts.Count - 1; i >= 0; i--) await _hosts[i].DisposeAsync();
        await Node.DisposeAsync();
    }
}
