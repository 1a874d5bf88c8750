using MedImaging.Cli.Rebuild;
using MedImaging.Directory.Catalog;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Npgsql;

namespace MedImaging.Directory.Tests;

/// <summary>
/// <c>medcat directory rebuild --node &lt;gateway&gt;</c> against a running node (every host on Kestrel): it starts the
/// rebuild, shows its progress and exits 0 once it succeeded; a caller who may not rebuild, or a rebuild already
/// running, exits non-zero saying why.
/// </summary>
[Collection(CatalogNodeGroup.Name)]
public sealed class CliRebuildTests(CatalogNode node)
{
    [Fact]
    public async Task The_command_rebuilds_the_nodes_read_model_and_reports_in_both_languages()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await node.PublishAsync($"命令行 {run} 甲");
        await node.PublishAsync($"命令行 {run} 乙");
        await node.WaitForSearchAsync(run, h => h.Total == 2, "both entries reached the directory");
        await node.ExecuteAsync("DELETE FROM directory.catalog_entries WHERE origin_node = $1", node.NodeId);
        Assert.Equal(0, (await node.SearchAsync(run)).Total);

        var (exit, output) = await RunAsync("rebuild", "--node", node.GatewayUrl.AbsoluteUri, "--token", Token(Roles.Admin), "--interval", "0.2");

        Assert.True(exit == DirectoryRebuildCommand.Succeeded, output);
        var published = await node.CountAsync("SELECT count(*) FROM registration.resources WHERE state = 'Published'");
        Assert.Contains($"写入 {published} 条已发布条目，移除 0 条", output, StringComparison.Ordinal);
        Assert.Contains($"The rebuild succeeded: ", output, StringComparison.Ordinal);
        Assert.Contains($"{published} published entries written, 0 removed", output, StringComparison.Ordinal);
        Assert.Contains("重建已开始 rebuild", output, StringComparison.Ordinal);
        Assert.Equal(2, (await node.SearchAsync(run)).Total);
    }

    [Fact]
    public async Task A_caller_without_the_admin_role_or_a_rebuild_already_running_exits_non_zero()
    {
        var (exit, output) = await RunAsync("rebuild", "--node", node.GatewayUrl.AbsoluteUri, "--token", Token(Roles.Researcher));
        Assert.True(exit == DirectoryRebuildCommand.Fatal, output);
        Assert.Contains("节点拒绝重建请求 the node refused the request (403)", output, StringComparison.Ordinal);

        await using var conn = new NpgsqlConnection(node.Node.PostgresConnectionString);
        await conn.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", conn) { Parameters = { new() { Value = CatalogLocks.Rebuild } } })
            await take.ExecuteNonQueryAsync();
        (exit, output) = await RunAsync("rebuild", "--node", node.GatewayUrl.AbsoluteUri, "--token", Token(Roles.Admin));
        Assert.True(exit == DirectoryRebuildCommand.Fatal, output);
        Assert.Contains("另一个重建正在进行 another rebuild is running", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_credentials_are_a_usage_error()
    {
        var (exit, _) = await RunAsync("rebuild", "--node", node.GatewayUrl.AbsoluteUri);
        Assert.Equal(DirectoryRebuildCommand.Usage, exit);
    }

    private string Token(string role) => TestTokens.Create(node.Node, "cli-admin", role);

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await DirectoryRebuildCommand.RunAsync(args, output, error, CancellationToken.None);
        return (exit, output.ToString() + error);
    }
}
