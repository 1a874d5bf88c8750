using Npgsql;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// The trail's tables refuse UPDATE, DELETE and TRUNCATE through their trigger — even to the superuser the tests connect
/// as, and even with session_replication_role = replica (the usual way to skip triggers). Only switching the trigger off,
/// which needs the owner or a superuser, gets round it; verify then tells (VerifyTests).
/// </summary>
public sealed class AppendOnlyTests : IAsyncLifetime
{
    private AuditNode _node = null!;
    private IServiceProvider _exchange = null!;

    public async Task InitializeAsync()
    {
        _node = await AuditNode.CreateAsync();
        _exchange = _node.Exchange().Services;
        Assert.Equal(6, await AuditNode.AppendAsync(_exchange, _node.Events(6)));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("UPDATE exchange.audit_records SET actor_id = 'x' WHERE sequence = 2", "UPDATE")]
    [InlineData("DELETE FROM exchange.audit_records WHERE sequence = 2", "DELETE")]
    [InlineData("DELETE FROM exchange.audit_records WHERE false", "DELETE")]
    [InlineData("TRUNCATE exchange.audit_records", "TRUNCATE")]
    [InlineData("UPDATE exchange.audit_anchors SET signature = '\\x00' WHERE sequence = 5", "UPDATE")]
    [InlineData("DELETE FROM exchange.audit_anchors", "DELETE")]
    [InlineData("TRUNCATE exchange.audit_anchors", "TRUNCATE")]
    [InlineData("SET session_replication_role = replica; DELETE FROM exchange.audit_records WHERE sequence = 2", "DELETE")]
    public async Task ChangesAreRefusedEvenToTheSuperuser(string sql, string operation)
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() => _node.ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        Assert.Contains($"append-only: {operation} is refused", ex.MessageText, StringComparison.Ordinal);
        Assert.Equal(6, await _node.CountAsync("SELECT count(*) FROM exchange.audit_records"));
        Assert.Equal(1, await _node.CountAsync("SELECT count(*) FROM exchange.audit_anchors"));
        Assert.Equal(1, await _node.CountAsync("SELECT count(*) FROM exchange.audit_records WHERE sequence = 2 AND actor_id = 'user-2'"));
    }

    [Fact]
    public async Task AppendingStillWorks()
    {
        // The appender's COPY is an INSERT, which the trigger leaves alone.
        Assert.Equal(4, await AuditNode.AppendAsync(_exchange, _node.Events(4, from: 7)));
        Assert.Equal(10, await _node.CountAsync("SELECT max(sequence) FROM exchange.audit_records"));
        Assert.Equal(2, await _node.CountAsync("SELECT count(*) FROM exchange.audit_anchors"));
    }
}
