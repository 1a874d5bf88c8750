using System.Net;
using MedImaging.Cli.Audit;
using MedImaging.Gateway;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Node;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Exchange.Tests;

/// <summary>
/// <c>medcat audit verify --node &lt;gateway&gt;</c> against a node's real gateway in front of its Exchange host (both on
/// Kestrel, loopback): exit 0 and a clean report on an untouched chain, exit 1 naming the row in Chinese and English
/// after a change, exit 3 for a caller who may not verify.
/// </summary>
public sealed class CliVerifyTests : IAsyncLifetime
{
    private AuditNode _node = null!;
    private Uri _gatewayUrl = null!;

    public async Task InitializeAsync()
    {
        _node = await AuditNode.CreateAsync();
        var exchange = _node.Exchange();
        exchange.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        exchange.StartServer();
        Assert.Equal(7, await AuditNode.AppendAsync(exchange.Services, _node.Events(7)));

        // The gateway routes by the node file: point it at the port the Exchange host got.
        var node = _node.Node.Node;
        node["endpoints"]![ServiceNames.Exchange] = AddressOf(exchange.Services);
        await File.WriteAllTextAsync(_node.Node.TierFile, node.ToJsonString());
        var gateway = _node.Own(new ServiceFactory<GatewayMarker>(_node.Node));
        gateway.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        gateway.StartServer();
        _gatewayUrl = new Uri(AddressOf(gateway.Services));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task AnUntouchedChainExitsZeroWithAReportInBothLanguages()
    {
        var (exit, output) = await RunAsync("verify", "--node", _gatewayUrl.AbsoluteUri, "--token", Token(Roles.Regulator));

        Assert.True(exit == AuditVerifyCommand.Intact, output);
        Assert.Contains("审计链完整：已校验 7 条记录、1 个签名锚点", output, StringComparison.Ordinal);
        Assert.Contains("The audit chain is intact: 7 rows and 1 signed anchors checked.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChangedRowExitsOneAndIsNamedInBothLanguages()
    {
        await _node.TamperAsync("UPDATE exchange.audit_records SET outcome = 'denied' WHERE sequence = 3");

        var (exit, output) = await RunAsync("verify", "--node", _gatewayUrl.AbsoluteUri, "--token", Token(Roles.Admin));

        Assert.True(exit == AuditVerifyCommand.Broken, output);
        Assert.Contains("第一处问题在第 3 条记录，内容被篡改", output, StringComparison.Ordinal);
        Assert.Contains("the first problem is at row 3, content-changed", output, StringComparison.Ordinal);
        Assert.Contains("a field was changed after it was appended", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallerWithoutTheRegulatorRoleIsToldAndExitsThree()
    {
        var (exit, output) = await RunAsync("verify", "--node", _gatewayUrl.AbsoluteUri, "--token", Token(Roles.Cataloguer));

        Assert.True(exit == AuditVerifyCommand.Fatal, output);
        Assert.Contains("(403)", output, StringComparison.Ordinal);
        Assert.Contains("regulator or admin role", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("verify", "--node", "ftp://x")]
    [InlineData("verify", "--node", "http://127.0.0.1:1")]
    [InlineData("check")]
    public async Task BadArgumentsAreAUsageError(params string[] args)
    {
        var (exit, _) = await RunAsync(args);
        Assert.Equal(AuditVerifyCommand.Usage, exit);
    }

    private string Token(string role) => TestTokens.Create(_node.Node, $"{role}-1", role);

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await AuditVerifyCommand.RunAsync(args, output, error, CancellationToken.None);
        return (exit, output + error.ToString());
    }

    private static string AddressOf(IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
